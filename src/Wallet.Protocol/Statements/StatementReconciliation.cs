namespace Wallet.Protocol.Statements;

/// <summary>
/// The wallet's check of a statement against its own contribution receipts (docs/PROTOCOL.md 5.23): both signed by the
/// scheme, for this account and period, and listing the same contributions with the same values.
/// </summary>
/// <param name="Status">The outcome.</param>
/// <param name="MissingReceipts">Ledger keys on the statement that no receipt covers.</param>
/// <param name="UnlistedReceipts">Ledger keys of receipts in the period that the statement leaves out, or whose values differ from it.</param>
/// <param name="Totals">The receipts' contributions summed by source and contributor (what the app shows), empty unless signed and in period.</param>
public sealed record StatementReconciliation(ReconciliationStatus Status, IReadOnlyList<IdempotencyKey> MissingReceipts, IReadOnlyList<IdempotencyKey> UnlistedReceipts, IReadOnlyList<ContributionTotal> Totals)
{
    /// <summary>Whether the statement and the receipts agree.</summary>
    public bool IsReconciled => Status == ReconciliationStatus.Reconciled;

    /// <summary>Reconciles a statement with the receipts of the same period.</summary>
    /// <param name="statementRequest">The request the statement answers.</param>
    /// <param name="statement">The statement.</param>
    /// <param name="receiptsRequest">The request the receipts answer.</param>
    /// <param name="receipts">The receipts.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentNullException">An argument or a receipt is null.</exception>
    public static StatementReconciliation Reconcile(StatementRequest statementRequest, WorkerStatement statement, StatementRequest receiptsRequest, IReadOnlyList<ContributionReceipt> receipts, Ed25519PublicKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(statementRequest);
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(receiptsRequest);
        ArgumentNullException.ThrowIfNull(receipts);
        ArgumentNullException.ThrowIfNull(schemeKey);
        if (!statement.Verify(statementRequest, schemeKey))
        {
            return Fail(ReconciliationStatus.InvalidStatement);
        }

        if (receiptsRequest.Account != statement.Account || receiptsRequest.From != statement.From || receiptsRequest.To != statement.To)
        {
            return Fail(ReconciliationStatus.PeriodMismatch);
        }

        foreach (var receipt in receipts)
        {
            ArgumentNullException.ThrowIfNull(receipt, nameof(receipts));
            if (receipt.Worker != statement.Account || !receipt.Verify(schemeKey))
            {
                return Fail(ReconciliationStatus.InvalidReceipt);
            }
        }

        var inPeriod = receipts.Where(r => r.RecordedAt >= statement.From && r.RecordedAt < statement.To).ToList();
        var byKey = inPeriod.GroupBy(r => r.LedgerKey).ToDictionary(g => g.Key, g => g.First());
        var listed = statement.Contributions.ToDictionary(c => c.Record.LedgerKey);
        List<IdempotencyKey> missing = [.. statement.Contributions.Where(c => !byKey.ContainsKey(c.Record.LedgerKey)).Select(c => c.Record.LedgerKey)];
        List<IdempotencyKey> unlisted = [.. byKey.Values.Where(r => !listed.TryGetValue(r.LedgerKey, out var line) || line.Record != r.Record || line.LedgerSequence != r.LedgerSequence).Select(r => r.LedgerKey)];
        var totals = WorkerStatement.Totals(byKey.Values.Select(r => r.Record));
        var status = missing.Count == 0 && unlisted.Count == 0 ? ReconciliationStatus.Reconciled : ReconciliationStatus.Mismatch;
        return new StatementReconciliation(status, missing, unlisted, totals);
    }

    private static StatementReconciliation Fail(ReconciliationStatus status) => new(status, [], [], []);
}
