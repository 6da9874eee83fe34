namespace Wallet.Protocol.Withdrawals;

/// <summary>
/// The compensating end of flow 2 (docs/PROTOCOL.md 5.3): once a keyset is revoked its key never signs again, so every
/// withdrawal that paid for coins of it and was never issued is reversed: one ledger entry returns its debit to the
/// worker, and one log entry records its coins per keyset (no account). A retry of such a withdrawal is answered with a
/// signed <see cref="WithdrawalReversalReceipt"/> (<see cref="WithdrawalHandler"/>).
/// </summary>
internal sealed class WithdrawalReversalHandler(SchemeContext context, IKeysetStore keysets)
{
    /// <summary>
    /// Reverses every withdrawal debited with coins of a revoked <paramref name="keyset"/> whose issuance was never
    /// logged. Idempotent: a reversal already made is replayed (and logged if a crash stopped it before its log entry).
    /// Scans the ledger's journal, under the gate that every issuance is logged under, so no withdrawal is issued and
    /// reversed both.
    /// </summary>
    /// <returns>The summary, or null when the keyset is unknown or not revoked.</returns>
    public async Task<WithdrawalReversalSummary?> ReverseUnissuedAsync(KeysetId keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        if (await keysets.GetKeysetAsync(keyset, cancellationToken).ConfigureAwait(false) is not { Revoked: true })
        {
            return null;
        }

        var outstanding = LedgerAccount.Outstanding(keyset);
        var denominations = new Dictionary<KeysetId, Amount>();
        int count = 0;
        var value = Amount.Zero;
        var held = await context.WriteLock.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var candidates = new List<JournalEntry>();
            await foreach (var entry in context.Ledger.ReadJournalAsync(cancellationToken).ConfigureAwait(false))
            {
                if (entry.Kind == EntryKind.Withdrawal && entry.Postings.Any(p => p.Account == outstanding))
                {
                    candidates.Add(entry);
                }
            }

            foreach (var debit in candidates)
            {
                // Each reversal is one operation: its ledger entry and its log entry commit together (one store
                // transaction when the stores share a database), under the gate held for the whole sweep.
                var reversed = await context.InTransactionAsync(() => ReverseAsync(debit, denominations, cancellationToken), cancellationToken).ConfigureAwait(false);
                if (reversed is { } total)
                {
                    count++;
                    value += total;
                }
            }
        }
        finally
        {
            await held.DisposeAsync().ConfigureAwait(false);
        }

        return new WithdrawalReversalSummary(keyset, count, value);
    }

    // Reverses one unissued debit and logs it; null when its issuance was logged or the keyset's value already expired.
    private async Task<Amount?> ReverseAsync(JournalEntry debit, Dictionary<KeysetId, Amount> denominations, CancellationToken cancellationToken)
    {
        if (await IsIssuanceLoggedAsync(debit.IdempotencyKey, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var worker = debit.Postings.Single(p => p.Account.Kind == LedgerAccountKind.Worker);
        var total = Amount.FromMinorUnits(-worker.Delta);
        var reversal = await context.Ledger.ReverseWithdrawalAsync(debit.IdempotencyKey, new AccountId(worker.Account.Key), total, cancellationToken).ConfigureAwait(false);
        if (reversal.Status != LedgerStatus.Applied)
        {
            // KeysetExpired: the keyset's value already went to the expired account and the default allocation.
            return null;
        }

        var counts = new List<(KeysetId, int)>();
        foreach (var posting in debit.Postings.Where(p => p.Account.Kind == LedgerAccountKind.Outstanding))
        {
            var id = posting.Account.GetKeyset()!;
            if (!denominations.TryGetValue(id, out var denomination))
            {
                denomination = denominations[id] = (await keysets.GetKeysetAsync(id, cancellationToken).ConfigureAwait(false))?.Announcement.Descriptor.Denomination
                    ?? throw new InvalidOperationException($"The ledger names keyset {id}, which the keyset store does not hold.");
            }

            counts.Add((id, checked((int)(posting.Delta / denomination.MinorUnits))));
        }

        var record = new ReversalRecord(reversal.Entry!.Timestamp, counts);
        await context.AppendLedgerLogAsync(reversal.Entry.IdempotencyKey, reversal, LogEntry.ForReversal(record), cancellationToken).ConfigureAwait(false);
        return total;
    }

    // The withdrawal handler logs an issuance under the debit's ledger key before it hands out coins (AppendLogOnceAsync).
    private async Task<bool> IsIssuanceLoggedAsync(IdempotencyKey ledgerKey, CancellationToken cancellationToken)
    {
        ulong size = await context.Log.GetSizeAsync(cancellationToken).ConfigureAwait(false);
        return await context.LogRecords.FindLogIndexAsync(ledgerKey.Value, cancellationToken).ConfigureAwait(false) is ulong found && found < size;
    }
}
