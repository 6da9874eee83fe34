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

        // Lines decided in this batch, by key: a store may hold this transaction's outcomes back until the commit,
        // so a repeated key is answered from here rather than from the store.
        var decided = new Dictionary<IdempotencyKey, (byte[] Hash, LedgerResult Result)>(lines.Count);
        bool wrote = false;
        await using var tx = await _store.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            byte[] hash = SHA256.HashData(ContributionRequest(line).WrittenSpan);
            if (decided.TryGetValue(line.Key, out var earlier))
            {
                results[i] = earlier.Hash.AsSpan().SequenceEqual(hash)
                    ? new LedgerResult(earlier.Result.Status, earlier.Result.Entry, earlier.Result.Conflicts, isReplay: true)
                    : new LedgerResult(LedgerStatus.IdempotencyKeyReused, null, [], isReplay: false);
                continue;
            }

            var (result, lineWrote) = await WriteInAsync(tx, line.Key, EntryKind.Contribution, hash, ContributionDecision(line), cancellationToken).ConfigureAwait(false);
            wrote |= lineWrote;
            results[i] = result;
            if (result.Status != LedgerStatus.IdempotencyKeyReused)
            {
                decided[line.Key] = (hash, result);
            }
        }

        if (wrote)
        {
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return results;
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
