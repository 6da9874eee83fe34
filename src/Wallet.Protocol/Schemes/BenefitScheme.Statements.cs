namespace Wallet.Protocol.Schemes;

// The worker's statement and contribution receipts (docs/PROTOCOL.md 5.23).
public sealed partial class BenefitScheme
{
    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task<StatementResult> GetStatementAsync(StatementRequest request, CancellationToken cancellationToken = default) =>
        _statements.GetStatementAsync(request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task<ContributionReceiptsResult> GetContributionReceiptsAsync(StatementRequest request, CancellationToken cancellationToken = default) =>
        _statements.GetReceiptsAsync(request, cancellationToken);

    // Every contribution's record, written (one store call per batch) before its ledger call.
    private ValueTask RecordContributionsAsync(IReadOnlyList<ContributionRecord> records, CancellationToken cancellationToken) =>
        _store.PutContributionRecordsAsync(records, cancellationToken);

    // The record of one contribution, naming the fund the ledger credits (the funds table in force, docs/PROTOCOL.md 5.22).
    private ContributionRecord Record(IdempotencyKey ledgerKey, AccountId? contributor, ContributionSource source, AccountId worker, Amount amount, string fund)
    {
        ArgumentNullException.ThrowIfNull(ledgerKey);
        ArgumentNullException.ThrowIfNull(worker);
        return new ContributionRecord(ledgerKey, worker, source, contributor, fund, amount, _context.Time.GetUtcNow());
    }
}
