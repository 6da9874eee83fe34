namespace Wallet.Protocol.Wallets;

/// <summary>The outcome of <see cref="WorkerWallet.PrepareRefundClaim"/>.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Request">The signed claim when <paramref name="Status"/> is <see cref="RefundClaimPreparationStatus.Ready"/>.</param>
public sealed record RefundClaimPreparation(RefundClaimPreparationStatus Status, RefundClaimRequest? Request);
