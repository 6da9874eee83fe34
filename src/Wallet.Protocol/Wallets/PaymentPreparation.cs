namespace Wallet.Protocol.Wallets;

/// <summary>The wallet's answer to a payment request.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Spends">The signed spends when <paramref name="Status"/> is <see cref="PaymentPreparationStatus.Ready"/>; empty otherwise.</param>
/// <param name="ChangeAvailable">
/// With <see cref="PaymentPreparationStatus.NoExactCoins"/>: the coins the provider accepts are worth at least the
/// amount, so <see cref="WorkerWallet.PrepareChange"/> can make exact change; false when the value is simply not there.
/// </param>
public sealed record PaymentPreparation(PaymentPreparationStatus Status, IReadOnlyList<CoinSpend> Spends, bool ChangeAvailable = false);
