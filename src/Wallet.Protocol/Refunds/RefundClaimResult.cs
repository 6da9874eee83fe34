namespace Wallet.Protocol.Refunds;

/// <summary>The scheme's answer to a refund claim.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Response">The signed response when <paramref name="Status"/> is <see cref="RefundClaimStatus.Accepted"/>.</param>
/// <param name="Index">The refunded coin or output the refusal is about, where one is.</param>
public sealed record RefundClaimResult(RefundClaimStatus Status, RefundClaimResponse? Response, int? Index);
