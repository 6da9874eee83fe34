namespace Wallet.Storage.Testing;

/// <summary>
/// A decorator over a real store that makes a write transaction fail at a chosen point. In process, the next write
/// throws as <see cref="NextFault"/> says, so tests can show that a failed operation moved nothing (or, after commit,
/// that a retry with the same key finds it). Across processes, <see cref="OnStep"/> is told each named step of every
/// write, and the SQLite crash worker (which compiles this file too) kills itself there with SIGKILL.
/// </summary>
internal sealed class FaultInjectingLedgerStore(ILedgerStore inner) : ILedgerStore
{
    /// <summary>A write transaction has begun (the step that counts writes).</summary>
    public const string BeginWriteStep = "begin-write";

    /// <summary>An entry is written but not committed.</summary>
    public const string AfterAppendStep = "after-append";

    /// <summary>The transaction is committed but the caller has not seen the outcome.</summary>
    public const string AfterCommitStep = "after-commit";

    public StoreFault NextFault { get; set; }

    /// <summary>
    /// Run once, before the next write transaction begins: another writer that reaches the ledger between an
    /// operation's checks and its own write (which, in the scheme, only a writer outside its gate can do).
    /// </summary>
    public Func<ILedgerStore, Task>? BeforeNextWrite { get; set; }

    /// <summary>Called at each named step of every write transaction; null for none.</summary>
    public Action<string>? OnStep { get; init; }

    /// <summary>Whether the last armed fault actually fired (an append fault fires only if the operation appends).</summary>
    public bool Fired { get; private set; }

    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        if (BeforeNextWrite is { } before)
        {
            BeforeNextWrite = null;
            await before(inner);
        }

        var fault = NextFault;
        NextFault = StoreFault.None;
        Fired = false;
        var transaction = await inner.BeginWriteAsync(cancellationToken);
        OnStep?.Invoke(BeginWriteStep);
        return fault == StoreFault.None && OnStep is null ? transaction : new Faulty(transaction, fault, this);
    }

    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) => inner.BeginReadAsync(cancellationToken);

    private sealed class Faulty(ILedgerWriteTransaction inner, StoreFault fault, FaultInjectingLedgerStore owner) : DelegatingLedgerWriteTransaction(inner)
    {
        public override async ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            if (fault == StoreFault.OnAppend)
            {
                owner.Fired = true;
                throw new LedgerStoreException("injected: disk I/O error while appending");
            }

            await Inner.AppendAsync(entry, cancellationToken);
            owner.OnStep?.Invoke(AfterAppendStep);
        }

        public override async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            if (fault == StoreFault.BeforeCommit)
            {
                owner.Fired = true;
                throw new LedgerStoreException("injected: commit failed");
            }

            await Inner.CommitAsync(cancellationToken);
            owner.OnStep?.Invoke(AfterCommitStep);
            if (fault == StoreFault.AfterCommit)
            {
                owner.Fired = true;
                throw new LedgerStoreException("injected: connection lost after commit");
            }
        }
    }
}
