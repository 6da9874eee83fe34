namespace Wallet.Protocol.Refunds;

/// <summary>
/// A refund claim the scheme decided to honour: the claim's hash, the refund and its coins, and, once signed, the
/// response. The decision is stored before the ledger entry and the signing, so a crash in between finishes the
/// same claim on retry and no other claim can take the refund or its coins.
/// </summary>
/// <param name="RequestHash">SHA-256 of the claim.</param>
/// <param name="Refund">The refund id.</param>
/// <param name="Coins">The refunded coins, ascending.</param>
/// <param name="Response">The signed response, or null while the claim is decided but not answered.</param>
public sealed record StoredRefundClaim(ReadOnlyMemory<byte> RequestHash, RefundId Refund, IReadOnlyList<CoinId> Coins, RefundClaimResponse? Response);
