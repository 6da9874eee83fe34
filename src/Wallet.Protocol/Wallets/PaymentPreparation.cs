using Wallet.Protocol.Coins;

namespace Wallet.Protocol.Wallets;

/// <summary>The wallet's answer to a payment request.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Spends">The signed spends when <paramref name="Status"/> is <see cref="PaymentPreparationStatus.Ready"/>; empty otherwise.</param>
public sealed record PaymentPreparation(PaymentPreparationStatus Status, IReadOnlyList<CoinSpend> Spends);
