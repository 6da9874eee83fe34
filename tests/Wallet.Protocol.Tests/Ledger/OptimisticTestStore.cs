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

    /// <summary>
    /// When set, an optimistic transaction finds no stored outcome, as a networked store's optimistic attempt assumes
    /// every key absent and checks that only when it commits.
    /// </summary>
    public bool AssumeOutcomesAbsent { get; set; }

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

    private sealed class Transaction(ILedgerWriteTransaction inner, OptimisticTestStore owner, bool optimistic) : DelegatingLedgerWriteTransaction(inner)
    {
        public override ValueTask CommitAsync(CancellationToken cancellationToken) =>
            optimistic && owner.ConflictOnOptimisticCommit
                ? throw new LedgerWriteConflictException("another writer moved the head")
                : Inner.CommitAsync(cancellationToken);

        public override ValueTask<IdempotencyRecord?> FindOutcomeAsync(IdempotencyKey key, CancellationToken cancellationToken) =>
            optimistic && owner.AssumeOutcomesAbsent ? ValueTask.FromResult<IdempotencyRecord?>(null) : Inner.FindOutcomeAsync(key, cancellationToken);

        public override ValueTask<JournalEntry?> GetEntryAsync(long sequence, CancellationToken cancellationToken) =>
            owner.HideEntries ? ValueTask.FromResult<JournalEntry?>(null) : Inner.GetEntryAsync(sequence, cancellationToken);
    }
}
