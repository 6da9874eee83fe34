namespace Wallet.Protocol.Ledger;

// Default allocation of a balance split across several destinations in one entry: a profile of several jobs
// (docs/PROTOCOL.md 5.24). One entry, so a retried round finds the whole split or nothing of it.
public sealed partial class SchemeLedger
{
    /// <summary>
    /// Moves a worker's never-withdrawn value to several providers or the default pool in one entry, each destination
    /// its own amount (the parts of a split by the table's several-jobs rule).
    /// </summary>
    /// <param name="key">The idempotency key of the allocation.</param>
    /// <param name="from">A worker account.</param>
    /// <param name="parts">The destinations (provider payable accounts or <see cref="LedgerAccount.DefaultPool"/>, each once) with their amounts, each more than zero.</param>
    /// <param name="cancellationToken">Cancels the operation; if it was already committed, a retry with the same key returns its result.</param>
    /// <returns><see cref="LedgerStatus.Applied"/>, <see cref="LedgerStatus.InsufficientFunds"/>, <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/>, <paramref name="from"/>, <paramref name="parts"/> or an account of it is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="from"/> is not a worker account, <paramref name="parts"/> is empty, names an account of the wrong kind or one twice, or an amount is zero.</exception>
    /// <exception cref="OverflowException">The parts' total does not fit 64 bits.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing moved unless the commit completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<LedgerResult> AllocateDefaultSplitAsync(IdempotencyKey key, LedgerAccount from, IReadOnlyList<KeyValuePair<LedgerAccount, Amount>> parts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(parts);
        if (from.Kind != LedgerAccountKind.Worker)
        {
            throw new ArgumentException("A split default allocation draws on a worker account.", nameof(from));
        }

        if (parts.Count == 0)
        {
            throw new ArgumentException("At least one destination is required.", nameof(parts));
        }

        foreach (var (to, amount) in parts)
        {
            ArgumentNullException.ThrowIfNull(to, nameof(parts));
            if (to.Kind is not (LedgerAccountKind.ProviderPayable or LedgerAccountKind.DefaultPool))
            {
                throw new ArgumentException("Default allocation pays a provider or the default pool.", nameof(parts));
            }

            RequirePositive(amount, nameof(parts));
        }

        if (parts.Select(p => p.Key).Distinct().Count() != parts.Count)
        {
            throw new ArgumentException("Each destination appears once.", nameof(parts));
        }

        long total = parts.Aggregate(0L, (sum, p) => checked(sum + p.Value.MinorUnits));

        // Its own request layout (a destination count, then each destination and amount in the given order), so a
        // split can never replay as a single-destination allocation under the same key.
        var request = Request(EntryKind.DefaultAllocation);
        request.U8((byte)from.Kind);
        request.Ascii(from.Key);
        request.U8(0);
        request.U32((uint)parts.Count);
        foreach (var (to, amount) in parts)
        {
            request.U8((byte)to.Kind);
            request.Ascii(to.Key);
            request.I64(amount.MinorUnits);
        }

        return ExecuteAsync(key, EntryKind.DefaultAllocation, request, async (tx, ct) =>
        {
            long balance = await tx.GetBalanceAsync(from, ct).ConfigureAwait(false);
            return balance < total
                ? Plan.Refuse(LedgerStatus.InsufficientFunds)
                : Plan.Apply([new Posting(from, -total), .. parts.Select(p => new Posting(p.Key, p.Value.MinorUnits))]);
        }, cancellationToken);
    }
}
