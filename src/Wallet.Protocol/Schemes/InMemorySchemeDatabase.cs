namespace Wallet.Protocol.Schemes;

/// <summary>
/// A ledger, a scheme store and a Merkle log in process memory that share one transaction per scheme operation
/// (<see cref="ISchemeTransactions"/>), as the SQLite and PostgreSQL scheme databases do: what an operation writes to
/// the three stores becomes visible together when it returns, and is dropped when it throws. Pass the database itself
/// as the scheme's <c>Transactions</c>, and its three stores as the scheme's stores. For tests and single-process demos;
/// nothing survives the process.
/// </summary>
/// <remarks>
/// <para>
/// docs/architecture.md "One transaction per operation". One operation runs at a time. It works on copies that only its
/// own asynchronous flow sees: a fork of the ledger's immutable state (free), a copy of the scheme store's tables (taken
/// at its first scheme write), and the log nodes it appends, held aside. At commit the log nodes go to the committed log
/// as one batch, and then one reference swap publishes the ledger, the scheme store and the log's leaf count together,
/// so a reader outside the operation sees all of its writes or none of them.
/// </para>
/// <para>
/// A store write from outside any operation waits until the running operation has committed or rolled back, then
/// commits on its own, so the operation can neither lose it nor overwrite it. Reads never wait.
/// </para>
/// </remarks>
public sealed class InMemorySchemeDatabase : ISchemeTransactions
{
    private readonly AsyncLocal<InMemorySchemeOperation?> _current = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly InMemoryMerkleLogStore _log = new();
    private volatile Committed _committed = new(new InMemoryLedgerStore(), new InMemorySchemeStore(), 0);

    /// <summary>Creates an empty database.</summary>
    public InMemorySchemeDatabase()
    {
        Ledger = new InMemoryDatabaseLedgerStore(this);
        Scheme = new InMemoryDatabaseSchemeStore(this);
        Log = new InMemoryDatabaseLogStore(this);
    }

    /// <summary>The ledger's store; its writes join the running operation.</summary>
    public ILedgerStore Ledger { get; }

    /// <summary>The scheme store; its writes join the running operation.</summary>
    public ISchemeStore Scheme { get; }

    /// <summary>The Merkle log's store; its appends join the running operation.</summary>
    public IMerkleLogStore Log { get; }

    /// <summary>The operation the calling flow is inside, while it runs; null outside any (the stores then use <see cref="Current"/>).</summary>
    internal InMemorySchemeOperation? Operation => _current.Value is { Active: true } operation && operation.Database == this ? operation : null;

    /// <summary>The last committed state, which every reader outside an operation sees.</summary>
    internal Committed Current => _committed;

    /// <summary>The committed Merkle log; its nodes beyond <see cref="Committed.LeafCount"/> are not visible yet.</summary>
    internal InMemoryMerkleLogStore CommittedLog => _log;

    /// <inheritdoc/>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (Operation is not null)
        {
            throw new InvalidOperationException("An operation is already running in this flow; operations do not nest.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = new InMemorySchemeOperation(this, _committed);

            // Set inside this method: the value flows into the operation and everything it awaits, not to the caller.
            _current.Value = current;
            T result;
            try
            {
                result = await operation(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                current.Active = false;
            }

            await CommitAsync(current).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _current.Value = null;
            _gate.Release();
        }
    }

    /// <summary>Runs a write from outside any operation once no operation runs, against the committed state, and returns its result.</summary>
    internal async ValueTask<T> WriteOutsideAsync<T>(Func<Committed, ValueTask<T>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await write(_committed).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs a write from outside any operation once no operation runs, against the committed state.</summary>
    internal async ValueTask WriteOutsideAsync(Func<Committed, ValueTask> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await write(_committed).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Waits until no operation runs and holds the database for a ledger write transaction outside any; release it when done.</summary>
    internal async ValueTask<InMemoryLedgerStore> EnterForLedgerWriteAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return _committed.Ledger;
    }

    /// <summary>Ends what <see cref="EnterForLedgerWriteAsync"/> began.</summary>
    internal void ExitLedgerWrite() => _gate.Release();

    /// <summary>Makes the log's leaf count visible after a Merkle append from outside any operation (the caller holds the gate).</summary>
    internal void PublishLeafCount(ulong leafCount) => _committed = _committed with { LeafCount = leafCount };

    // The log's nodes first, as one batch: the only step that can fail, and invisible to readers until the swap. Then one
    // reference swap makes the ledger, the scheme store and the leaf count visible together.
    private async Task CommitAsync(InMemorySchemeOperation operation)
    {
        await operation.Log.CommitAsync().ConfigureAwait(false);
        _committed = new Committed(operation.Ledger, operation.Scheme ?? operation.Start.Scheme, operation.Log.LeafCount);
    }

    /// <summary>What readers outside an operation see: the committed ledger, scheme store and Merkle leaf count.</summary>
    /// <param name="Ledger">The committed ledger.</param>
    /// <param name="Scheme">The committed scheme store.</param>
    /// <param name="LeafCount">The committed Merkle log's leaf count.</param>
    internal sealed record Committed(InMemoryLedgerStore Ledger, InMemorySchemeStore Scheme, ulong LeafCount);
}
