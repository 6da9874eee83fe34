namespace Wallet.Protocol.AspNetCore.Endpoints;

// The refund claim endpoint (docs/PROTOCOL.md 5.17): anonymous like a swap, idempotent under the claim's key.
internal sealed partial class SchemeEndpoints
{
    private static readonly Batch<RefundClaimRequest, RefundClaimResult> RefundClaims = new(PbMediaTypes.RefundClaimRequest, "refund claim request", Message<RefundClaimRequest>(), r => r.Refund.Coins.Length + r.Outputs.Length, r => r.IdempotencyKey, (s, r, ct) => s.ClaimRefundAsync(r, ct), PbMediaTypes.RefundClaimResult, PbEnvelopes.EncodeRefundClaimResult);

    public Task ClaimRefund(HttpContext context) => Exchange(context, RefundClaims);
}
