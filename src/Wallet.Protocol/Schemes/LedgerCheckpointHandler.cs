namespace Wallet.Protocol.Schemes;

/// <summary>
/// Logs ledger checkpoints (docs/PROTOCOL.md 5.15): under the writer gate, folds the log prefix with the auditor's own
/// reconciliation, reads one snapshot of the journal, and signs and appends the summary only when the two agree, so
/// the checkpoint never states a total the log before it does not give.
/// </summary>
internal sealed class LedgerCheckpointHandler(SchemeContext context, ILogRecordStore logRecords)
{
    /// <summary>Logs a checkpoint once per idempotency key.</summary>
    /// <param name="key">The operation's idempotency key; a retry returns the checkpoint logged under it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The logged record, or null when the ledger holds an entry whose log leaf is not appended yet.</returns>
    public async Task<LedgerCheckpointRecord?> LogAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        string operation = $"c-{key.Value}";
        return await context.UnderGateAsync<LedgerCheckpointRecord?>(async () =>
        {
            // Under the gate no leaf is appended, so the prefix [0, size) is fixed. Every flow commits its ledger entry
            // before it appends its leaf, so the snapshot read after this holds every logged operation's entry; any
            // further entry is an operation in flight or cut short by a crash, and the reconciliation shows it.
            ulong size = await context.Log.GetSizeAsync(cancellationToken).ConfigureAwait(false);
            if (await logRecords.FindLogIndexAsync(operation, cancellationToken).ConfigureAwait(false) is ulong found && found < size
                && await logRecords.GetLogEntryAsync(found, cancellationToken).ConfigureAwait(false) is { LedgerCheckpoint: { } logged })
            {
                return logged;
            }

            var reconciliation = new LedgerReconciliation();
            for (ulong i = 0; i < size; i++)
            {
                reconciliation.Observe(await logRecords.GetLogEntryAsync(i, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Log entry {i} is below the tree size but not stored."));
            }

            var record = await SnapshotAsync(reconciliation, size, cancellationToken).ConfigureAwait(false);
            if (record is null || reconciliation.Check(size, record).Count > 0)
            {
                return null;
            }

            var (_, entry) = await context.AppendLogOnceAsync(operation, LogEntry.ForLedgerCheckpoint(record), cancellationToken).ConfigureAwait(false);
            return entry.LedgerCheckpoint;
        }, cancellationToken).ConfigureAwait(false);
    }

    // One snapshot of the journal, folded: totals per account kind, outstanding per keyset, and the head. Null when a
    // keyset holds value the log never announced (nothing honest to sign).
    private async Task<LedgerCheckpointRecord?> SnapshotAsync(LedgerReconciliation reconciliation, ulong size, CancellationToken cancellationToken)
    {
        var totals = new Dictionary<LedgerTotalKind, long>();
        var keysets = new Dictionary<KeysetId, long>();
        // The workers' sub-balances per fund, so the auditor reconciles each fund on its own (docs/PROTOCOL.md 5.15).
        var workerFunds = new Dictionary<string, long>(StringComparer.Ordinal);
        var head = JournalHead.Empty;
        await foreach (var entry in context.Ledger.ReadJournalAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var posting in entry.Postings)
            {
                var kind = (LedgerTotalKind)posting.Account.Kind;
                totals[kind] = totals.GetValueOrDefault(kind) + posting.Delta;
                if (posting.Account.GetFund() is { } workerFund)
                {
                    workerFunds[workerFund] = workerFunds.GetValueOrDefault(workerFund) + posting.Delta;
                }

                if (posting.Account.GetKeyset() is { } keyset)
                {
                    keysets[keyset] = keysets.GetValueOrDefault(keyset) + posting.Delta;
                }
            }

            head = new JournalHead(entry.Sequence, entry.Hash);
        }

        var funds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (keyset, value) in keysets.Where(k => k.Value != 0))
        {
            if (!reconciliation.Keysets.TryGetValue(keyset, out var descriptor))
            {
                return null;
            }

            funds[descriptor.Fund] = funds.GetValueOrDefault(descriptor.Fund) + value;
        }

        return LedgerCheckpointRecord.Sign(
            (reconciliation.Last?.Sequence ?? 0) + 1,
            context.Time.GetUtcNow(),
            size,
            (ulong)head.Sequence,
            head.Hash.Bytes,
            totals.Select(t => (t.Key, t.Value)),
            keysets.Select(k => (k.Key, Amount.FromMinorUnits(k.Value))),
            funds.Select(f => (f.Key, Amount.FromMinorUnits(f.Value))),
            workerFunds.Select(f => (f.Key, f.Value)),
            context.SchemeKey);
    }
}
