namespace Wallet.Protocol.Http.Client;

// The refund claim call (docs/PROTOCOL.md 5.17).
public sealed partial class HttpSchemeClient
{
    private static readonly Exchange<RefundClaimRequest, RefundClaimResult> RefundClaim = new(SchemeRoutes.RefundClaims, PbMediaTypes.RefundClaimRequest, PbMediaTypes.RefundClaimResult, r => r.IdempotencyKey, b => PbEnvelopes.DecodeRefundClaimResult(b));

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or refused the request as malformed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<RefundClaimResult> ClaimRefundAsync(RefundClaimRequest request, CancellationToken cancellationToken = default) => PostMessageAsync(RefundClaim, request, cancellationToken);
}
