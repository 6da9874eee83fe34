namespace Wallet.Protocol.Ledger;

// How every operation runs: the request hash, the idempotent replay of a stored outcome, and the one write
// transaction (optimistic first on a store that offers it) that records the entry and its outcome together.
public sealed partial class SchemeLedger
{
    private async Task<LedgerResult> ExecuteAsync(
        IdempotencyKey key,
        EntryKind kind,
        ProtocolWriter request,
        Func<ILedgerWriteTransaction, CancellationToken, ValueTask<Plan>> decide,
        CancellationToken cancellationToken)
    {
        byte[] requestHash = SHA256.HashData(request.WrittenSpan);

        // One round trip on a networked store when its assumptions hold; when they do not, nothing was written
        // and the operation runs again under the writer lock, which decides from facts (IOptimisticLedgerStore).
        // A reversal decides from another key's outcome (the withdrawal's), which an optimistic transaction assumes
        // absent, so it always runs under the writer lock; reversals are rare.
        if (_store is IOptimisticLedgerStore optimistic && kind != EntryKind.WithdrawalReversal)
        {
            try
            {
                await using var attempt = await optimistic.BeginOptimisticWriteAsync(cancellationToken).ConfigureAwait(false);
                var (result, wrote) = await WriteInAsync(attempt, key, kind, requestHash, decide, cancellationToken).ConfigureAwait(false);
                if (wrote)
                {
                    await attempt.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }

                // Nothing to commit, so nothing checked the attempt's assumptions (the key absent, the cached
                // balances): a request it declined may be a replay of an applied one, or may be decided otherwise
                // on facts. Only a committed attempt counts; the locked run below decides this one.
            }
            catch (LedgerWriteConflictException)
            {
            }
        }

        await using var tx = await _store.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteInAsync(tx, key, kind, requestHash, decide, cancellationToken).ConfigureAwait(false);
    }

    private async Task<LedgerResult> ExecuteInAsync(
        ILedgerWriteTransaction tx,
        IdempotencyKey key,
        EntryKind kind,
        byte[] requestHash,
        Func<ILedgerWriteTransaction, CancellationToken, ValueTask<Plan>> decide,
        CancellationToken cancellationToken)
    {
        var (result, wrote) = await WriteInAsync(tx, key, kind, requestHash, decide, cancellationToken).ConfigureAwait(false);
        if (wrote)
        {
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        // Otherwise disposing the transaction rolls it back: nothing was written, not even the outcome.
        return result;
    }

    // Decides one request and writes its entry and outcome into the transaction without committing it; Wrote says
    // whether anything was written (a replay, a reused key and a declined request write nothing).
    private async Task<(LedgerResult Result, bool Wrote)> WriteInAsync(
        ILedgerWriteTransaction tx,
        IdempotencyKey key,
        EntryKind kind,
        byte[] requestHash,
        Func<ILedgerWriteTransaction, CancellationToken, ValueTask<Plan>> decide,
        CancellationToken cancellationToken)
    {
        var existing = await tx.FindOutcomeAsync(key, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (!existing.RequestHash.Span.SequenceEqual(requestHash))
            {
                return (new LedgerResult(LedgerStatus.IdempotencyKeyReused, null, [], isReplay: false), false);
            }

            JournalEntry? previous = null;
            if (existing.EntrySequence is long sequence)
            {
                previous = await tx.GetEntryAsync(sequence, cancellationToken).ConfigureAwait(false)
                    ?? throw new LedgerStoreException($"The outcome of '{key}' names entry {sequence}, which the journal does not hold.");
            }

            return (new LedgerResult(existing.Status, previous, existing.Conflicts, isReplay: true), false);
        }

        Plan plan;
        JournalEntry? entry = null;
        try
        {
            plan = await decide(tx, cancellationToken).ConfigureAwait(false);
            if (plan.Status == LedgerStatus.Applied)
            {
                var head = await tx.GetHeadAsync(cancellationToken).ConfigureAwait(false);
                entry = JournalEntry.Create(
                    // Stryker disable once Checked : equivalent, the sequence reaches 2^63 only after 2^63 entries.
                    checked(head.Sequence + 1),
                    kind,
                    key,
                    _timeProvider.GetUtcNow(),
                    head.Hash,
                    plan.Postings,
                    plan.Coins,
                    plan.Closed);

                // Checked here, before anything is written, so every store refuses an overflow the same way.
                await RequireInRangeAsync(tx, entry, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OverflowException)
        {
            plan = Plan.Refuse(LedgerStatus.AmountOverflow);
            entry = null;
        }

        if (!plan.Record)
        {
            return (new LedgerResult(plan.Status, null, [], isReplay: false), false);
        }

        if (entry is not null)
        {
            await tx.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        await tx.RecordOutcomeAsync(new IdempotencyRecord(key, requestHash, plan.Status, entry?.Sequence, plan.Conflicts), cancellationToken).ConfigureAwait(false);
        return (new LedgerResult(plan.Status, entry, plan.Conflicts, isReplay: false), true);
    }

    private static async ValueTask RequireInRangeAsync(ILedgerWriteTransaction tx, JournalEntry entry, CancellationToken ct)
    {
        // The net change per account, not each posting: a swap within one keyset posts -v and +v to the same account.
        var net = new Dictionary<LedgerAccount, long>();
        foreach (var posting in entry.Postings)
        {
            // Stryker disable once Checked : equivalent, every operation sums its amounts with checked arithmetic while planning, so lines of one account and sign never exceed a total that already fit.
            net[posting.Account] = checked(net.GetValueOrDefault(posting.Account) + posting.Delta);
        }

        foreach (var (account, change) in net)
        {
            long balance = await tx.GetBalanceAsync(account, ct).ConfigureAwait(false);
            _ = checked(balance + change);
        }

        foreach (var effect in entry.KeysetEffects)
        {
            var totals = await tx.GetKeysetAsync(effect.Keyset, ct).ConfigureAwait(false);
            _ = totals.Apply(effect);
        }
    }

    private static ProtocolWriter Request(EntryKind kind)
    {
        var writer = new ProtocolWriter();
        writer.Ascii("PB1/ledger-request");
        writer.U8(1);
        writer.U8((byte)kind);
        return writer;
    }

    private static void WriteCoins(ProtocolWriter writer, IReadOnlyList<SpentCoin> coins)
    {
        var sorted = coins.OrderBy(c => c.Coin).ToArray();
        // Stryker disable once Checked : equivalent, an array length always fits a u32.
        writer.U32(checked((uint)sorted.Length));
        foreach (var coin in sorted)
        {
            writer.Fixed(coin.Coin.Bytes);
            writer.Fixed(coin.Keyset.Bytes);
            writer.I64(coin.Value.MinorUnits);
        }
    }

    private static void WriteOutputs(ProtocolWriter writer, IReadOnlyList<KeysetAmount> outputs)
    {
        var sorted = outputs.OrderBy(o => o.Keyset).ThenBy(o => o.Value).ToArray();
        // Stryker disable once Checked : equivalent, an array length always fits a u32.
        writer.U32(checked((uint)sorted.Length));
        foreach (var output in sorted)
        {
            writer.Fixed(output.Keyset.Bytes);
            writer.I64(output.Value.MinorUnits);
            // General outputs hash as they did before funds, so retries of requests made before them still replay.
            if (output.Fund != LedgerAccount.GeneralFund)
            {
                writer.Ascii(output.Fund);
            }
        }
    }
}
