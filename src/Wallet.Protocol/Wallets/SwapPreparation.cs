namespace Wallet.Protocol.Wallets;

/// <summary>The wallet's answer to a request for a swap: exact change, a rollover, or the refund of an abandoned payment.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Request">The signed swap when <paramref name="Status"/> is <see cref="SwapPreparationStatus.Ready"/>; null otherwise.</param>
public sealed record SwapPreparation(SwapPreparationStatus Status, SwapRequest? Request);
