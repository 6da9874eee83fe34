namespace Wallet.Protocol.Http.Client;

// The worker's statement and contribution receipts (docs/PROTOCOL.md 5.23).
public sealed partial class HttpSchemeClient
{
    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or refused the request as malformed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    /// <remarks>
    /// A retry after a lost answer sends the same bytes, which the scheme answers <see cref="StatementStatus.Replayed"/>:
    /// sign a new request then.
    /// </remarks>
    public Task<StatementResult> GetStatementAsync(StatementRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PostAsync(SchemeRoutes.Statements, request.Encode(), PbMediaTypes.StatementRequest, PbMediaTypes.StatementResult, null, b => PbEnvelopes.DecodeStatementResult(b), cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or refused the request as malformed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<ContributionReceiptsResult> GetContributionReceiptsAsync(StatementRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PostAsync(SchemeRoutes.ContributionReceipts, request.Encode(), PbMediaTypes.StatementRequest, PbMediaTypes.ContributionReceipts, null, b => PbEnvelopes.DecodeContributionReceipts(b), cancellationToken);
    }
}
