using Wallet.Protocol.Ledger;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// An <see cref="IOptimisticLedgerStore"/> over the in-memory store whose optimistic attempt can be made to lose
/// (its commit throws <see cref="LedgerWriteConflictException"/>, nothing written), as a networked store's does
/// when another writer got there first; it counts both kinds of write and can hide journal entries from writers.
/// </summary>
public sealed class OptimisticTestStore(ILedgerStore inner) : IOptimisticLedgerStore
{
    public bool ConflictOnOptimisticCommit { get; set; }

    /// <summary>When set, a write transaction's <c>GetEntryAsync</c> finds nothing (a journal that lost entries).</summary>
    public bool HideEntries { get; set; }

    public int OptimisticWrites { get; private set; }

    public int LockedWrites { get; private set; }

    public async ValueTask<ILedgerWriteTransaction> BeginOptimisticWriteAsync(CancellationToken cancellationToken)
    {
        OptimisticWrites++;
        return new Transaction(await inner.BeginWriteAsync(cancellationToken), this, optimistic: true);
    }

    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        LockedWrites++;
        return new Transaction(await inner.BeginWriteAsync(cancellationToken), this, optimistic: false);
    }

    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) => inner.BeginReadAsync(cancellationToken);

    private sealed class Transaction(ILedgerWriteTransaction inner, OptimisticTestStore owner, bool optimistic) : ILedgerWriteTransaction
    {
        public ValueTask CommitAsync(CancellationToken cancellationToken) =>
            optimistic && owner.ConflictOnOptimisticCommit
                ? throw new LedgerWriteConflictException("another writer moved the head")
                : inner.CommitAsync(cancellationToken);

        public ValueTask<JournalEntry?> GetEntryAsync(long sequence, CancellationToken cancellationToken) =>
            owner.HideEntries ? ValueTask.FromResult<JournalEntry?>(null) : inner.GetEntryAsync(sequence, cancellationToken);

        public ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken) => inner.AppendAsync(entry, cancellationToken);

        public ValueTask RecordOutcomeAsync(IdempotencyRecord record, CancellationToken cancellationToken) => inner.RecordOutcomeAsync(record, cancellationToken);

        public ValueTask<JournalHead> GetHeadAsync(CancellationToken cancellationToken) => inner.GetHeadAsync(cancellationToken);

        public ValueTask<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken) => inner.GetBalanceAsync(account, cancellationToken);

        public ValueTask<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken) => inner.GetKeysetAsync(keyset, cancellationToken);

        public ValueTask<IdempotencyRecord?> FindOutcomeAsync(IdempotencyKey key, CancellationToken cancellationToken) => inner.FindOutcomeAsync(key, cancellationToken);

        public ValueTask<long?> FindSpentAsync(CoinId coin, CancellationToken cancellationToken) => inner.FindSpentAsync(coin, cancellationToken);

        public ValueTask<IReadOnlyDictionary<CoinId, long>> FindSpentAsync(IReadOnlyCollection<CoinId> coins, CancellationToken cancellationToken) => inner.FindSpentAsync(coins, cancellationToken);

        public IAsyncEnumerable<JournalEntry> ReadJournalAsync(long fromSequence, CancellationToken cancellationToken) => inner.ReadJournalAsync(fromSequence, cancellationToken);

        public IAsyncEnumerable<AccountBalance> ReadBalancesAsync(CancellationToken cancellationToken) => inner.ReadBalancesAsync(cancellationToken);

        public IAsyncEnumerable<KeysetTotals> ReadKeysetsAsync(CancellationToken cancellationToken) => inner.ReadKeysetsAsync(cancellationToken);

        public ValueTask<long> CountSpentCoinsAsync(CancellationToken cancellationToken) => inner.CountSpentCoinsAsync(cancellationToken);

        public ValueTask<long> CountEntryOutcomesAsync(CancellationToken cancellationToken) => inner.CountEntryOutcomesAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
