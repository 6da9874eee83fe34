namespace Wallet.Protocol.Ledger;

// Payroll at volume: many contributions in one write transaction, each line idempotent under its own key
// (docs/PROTOCOL.md 5.21).
public sealed partial class SchemeLedger
{
    /// <summary>
    /// Credits many workers in one store transaction. Each line is recorded exactly as
    /// <see cref="ContributeAsync(IdempotencyKey, ContributionSource, AccountId, Amount, string, CancellationToken)"/> would record it (one journal entry and one stored outcome under the line's
    /// key), and each is decided on its own: a line whose key was used for another request is refused alone while
    /// the others apply, and a line already applied (by an earlier batch, a single contribution or an earlier line of
    /// this batch) is returned as a replay and applied nothing twice.
    /// </summary>
    /// <param name="lines">The lines, at least one; a key may repeat (the later line is then a replay or a reused key).</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is kept unless the commit completed.</param>
    /// <returns>
    /// One result per line, in the order of <paramref name="lines"/>: <see cref="LedgerStatus.Applied"/>,
    /// <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> or an item of it is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="lines"/> is empty.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing of the batch moved unless the commit completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>
    /// The batch runs under the writer lock (never optimistically), so a batch holds other writers back for as long as
    /// it takes; the caller bounds its size. docs/PROTOCOL.md 5.21.
    /// </remarks>
    public async Task<IReadOnlyList<LedgerResult>> ContributeBatchAsync(IReadOnlyList<ContributionLine> lines, CancellationToken cancellationToken = default)
    {
        RequireItems(lines, nameof(lines));
        var results = new LedgerResult[lines.Count];
        var hashes = new byte[lines.Count][];
        var keys = new HashSet<IdempotencyKey>(lines.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            hashes[i] = SHA256.HashData(ContributionRequest(lines[i]).WrittenSpan);
            keys.Add(lines[i].Key);
        }

        await using var tx = await _store.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var plans = new Plan[lines.Count];
        var accounts = new HashSet<LedgerAccount>();
        for (int i = 0; i < lines.Count; i++)
        {
            plans[i] = await ContributionDecision(lines[i])(tx, cancellationToken).ConfigureAwait(false);
            accounts.UnionWith(plans[i].Postings.Select(p => p.Account));
        }

        // One lookup of every key, one head read, one read of every balance the batch posts to: the batch then decides
        // in memory, line by line, exactly as the lines would be decided one after the other, and writes once.
        var stored = await tx.FindOutcomesAsync(keys, cancellationToken).ConfigureAwait(false);
        var head = await tx.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        var balances = new Dictionary<LedgerAccount, long>(await tx.GetBalancesAsync(accounts, cancellationToken).ConfigureAwait(false));

        // Lines decided in this batch, by key: a store may hold this transaction's outcomes back until the commit,
        // so a repeated key is answered from here rather than from the store.
        var decided = new Dictionary<IdempotencyKey, (byte[] Hash, LedgerResult Result)>(lines.Count);
        var entries = new List<JournalEntry>(lines.Count);
        var outcomes = new List<IdempotencyRecord>(lines.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            byte[] hash = hashes[i];
            if (decided.TryGetValue(line.Key, out var earlier))
            {
                results[i] = earlier.Hash.AsSpan().SequenceEqual(hash)
                    ? new LedgerResult(earlier.Result.Status, earlier.Result.Entry, earlier.Result.Conflicts, isReplay: true)
                    : new LedgerResult(LedgerStatus.IdempotencyKeyReused, null, [], isReplay: false);
                continue;
            }

            if (stored.TryGetValue(line.Key, out var existing))
            {
                results[i] = await ReplayAsync(tx, existing, hash, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var plan = plans[i];
                JournalEntry? entry = null;
                if (plan.Status == LedgerStatus.Applied)
                {
                    entry = TryCreateInRange(head, line.Key, plan, balances);
                    if (entry is null)
                    {
                        plan = Plan.Refuse(LedgerStatus.AmountOverflow);
                    }
                    else
                    {
                        head = new JournalHead(entry.Sequence, entry.Hash);
                        entries.Add(entry);
                    }
                }

                // Stryker disable once Statement : equivalent, a contribution is never declined (it names nothing that may exist later).
                if (plan.Record)
                {
                    outcomes.Add(new IdempotencyRecord(line.Key, hash, plan.Status, entry?.Sequence, plan.Conflicts));
                }

                results[i] = new LedgerResult(plan.Status, entry, plan.Conflicts, isReplay: false);
            }

            if (results[i].Status != LedgerStatus.IdempotencyKeyReused)
            {
                decided[line.Key] = (hash, results[i]);
            }
        }

        if (outcomes.Count > 0)
        {
            await tx.AppendBatchAsync(entries, outcomes, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        // Otherwise disposing the transaction rolls it back: nothing was written.
        return results;
    }

    // The stored answer to a key already used: a replay of the same request, or a reused key.
    private static async ValueTask<LedgerResult> ReplayAsync(ILedgerWriteTransaction tx, IdempotencyRecord existing, byte[] hash, CancellationToken cancellationToken)
    {
        if (!existing.RequestHash.Span.SequenceEqual(hash))
        {
            return new LedgerResult(LedgerStatus.IdempotencyKeyReused, null, [], isReplay: false);
        }

        JournalEntry? previous = null;
        if (existing.EntrySequence is long sequence)
        {
            previous = await tx.GetEntryAsync(sequence, cancellationToken).ConfigureAwait(false)
                ?? throw new LedgerStoreException($"The outcome of '{existing.Key}' names entry {sequence}, which the journal does not hold.");
        }

        return new LedgerResult(existing.Status, previous, existing.Conflicts, isReplay: true);
    }

    // The entry after the batch's running head, or null when a balance would leave the 64-bit range; the running
    // balances (read from the store once for the batch) then carry the entry's postings.
    private JournalEntry? TryCreateInRange(JournalHead head, IdempotencyKey key, Plan plan, Dictionary<LedgerAccount, long> balances)
    {
        // The net change per account, as RequireInRangeAsync checks it for a single operation.
        var after = new Dictionary<LedgerAccount, long>();
        try
        {
            foreach (var posting in plan.Postings)
            {
                // Stryker disable once Checked : equivalent, a contribution posts one amount to two distinct accounts.
                after[posting.Account] = checked(after.GetValueOrDefault(posting.Account) + posting.Delta);
            }

            foreach (var (account, change) in after.ToArray())
            {
                after[account] = checked(balances[account] + change);
            }
        }
        catch (OverflowException)
        {
            return null;
        }

        foreach (var (account, balance) in after)
        {
            balances[account] = balance;
        }

        return JournalEntry.Create(
            // Stryker disable once Checked : equivalent, the sequence reaches 2^63 only after 2^63 entries.
            checked(head.Sequence + 1),
            EntryKind.Contribution,
            key,
            _timeProvider.GetUtcNow(),
            head.Hash,
            plan.Postings,
            plan.Coins,
            plan.Closed);
    }

    private static ProtocolWriter ContributionRequest(ContributionLine line)
    {
        var request = Request(EntryKind.Contribution);
        request.U8((byte)line.Source);
        request.Ascii(line.Worker.Value);
        request.I64(line.Amount.MinorUnits);
        // A general contribution hashes as it did before funds, so retries of requests made before them still replay.
        if (line.Fund != LedgerAccount.GeneralFund)
        {
            request.Ascii(line.Fund);
        }

        return request;
    }

    private static Func<ILedgerWriteTransaction, CancellationToken, ValueTask<Plan>> ContributionDecision(ContributionLine line) =>
        (_, _) => ValueTask.FromResult(Plan.Apply([
            new Posting(LedgerAccount.Contribution(line.Source), -line.Amount.MinorUnits),
            new Posting(LedgerAccount.WorkerFund(line.Worker, line.Fund), line.Amount.MinorUnits),
        ]));
}
