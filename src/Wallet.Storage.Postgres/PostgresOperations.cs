namespace Wallet.Storage.Postgres;

/// <summary>
/// The operation transaction shared by the stores of one <see cref="PostgresSchemeDatabase"/>: one pooled connection
/// per operation, in one transaction (READ COMMITTED, as the ledger's writers), found by the stores through an
/// <see cref="AsyncLocal{T}"/> that flows only into the operation.
/// </summary>
/// <remarks>
/// The operation's transaction is begun through Npgsql, which sends the <c>BEGIN</c> with the first statement (no round
/// trip of its own); inside it the stores' statements are plain SQL, the ledger's write nesting as a <c>SAVEPOINT</c>
/// sent with its first statement. PostgreSQL aborts a transaction at its first failed statement and answers a later
/// <c>COMMIT</c> with a rollback, not an error (and so does <see cref="NpgsqlTransaction.CommitAsync(CancellationToken)"/>);
/// the commit therefore sends a statement before a plain <c>COMMIT</c>, which fails in an aborted transaction, so an
/// operation that swallowed a store's failure is refused instead of being believed kept.
/// </remarks>
internal sealed class PostgresOperations(NpgsqlDataSource dataSource)
{
    private readonly AsyncLocal<Operation?> _current = new();

    /// <summary>The calling flow's running operation of this database, or null.</summary>
    public Operation? Current => _current.Value is { Active: true } operation && operation.Owner == this ? operation : null;

    /// <summary>Runs <paramref name="operation"/> in one transaction: committed when it returns, rolled back when it throws.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="onCommitUnknown">Called when the outcome of the COMMIT cannot be known (the connection failed during it).</param>
    /// <param name="cancellationToken">Cancels the connection and the operation; not the COMMIT.</param>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, Action onCommitUnknown, CancellationToken cancellationToken)
    {
        if (Current is not null)
        {
            throw new InvalidOperationException("An operation is already running in this flow; operations do not nest.");
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var current = new Operation(this, connection);
        try
        {
            // Npgsql sends no BEGIN here: it travels with the operation's first statement, so it costs no round trip.
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

            // Set inside this method: the value flows into the operation and everything it awaits, not to the caller.
            _current.Value = current;
            T result;
            try
            {
                result = await operation(cancellationToken).ConfigureAwait(false);
                current.Active = false;
            }
            catch
            {
                current.Active = false;
                await RollBackAsync(transaction).ConfigureAwait(false);
                throw;
            }

            await CommitAsync(connection, transaction, onCommitUnknown).ConfigureAwait(false);
            current.Committed();
            return result;
        }
        finally
        {
            current.Active = false;
            _current.Value = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The operation's connection inside one (not to be disposed), else a pooled one.</summary>
    public async ValueTask<PostgresLease> LeaseAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Current is { } operation
            ? new PostgresLease(operation.Connection, operation)
            : new PostgresLease(await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false), null);
    }

    private static async Task CommitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Action onCommitUnknown)
    {
        // Not NpgsqlTransaction.CommitAsync, which answers an aborted transaction's rollback without an error: the first
        // statement fails with 25P02 in an aborted transaction, and the COMMIT behind it is then never run.
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT 1"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        try
        {
            // Not cancellable once started: the outcome of an interrupted COMMIT is unknowable from here.
            await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (PostgresException)
        {
            // The server refused before COMMIT: nothing was kept.
            await RollBackAsync(transaction).ConfigureAwait(false);
            throw;
        }
        catch (NpgsqlException)
        {
            onCommitUnknown();
            throw;
        }
    }

    private static async Task RollBackAsync(NpgsqlTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A broken connection has no transaction left; the pool discards it.
        }
    }

    /// <summary>One running operation: its connection, and what its stores do once it has committed.</summary>
    internal sealed class Operation(PostgresOperations owner, NpgsqlConnection connection)
    {
        private readonly List<Action> _afterCommit = [];

        public PostgresOperations Owner { get; } = owner;

        public NpgsqlConnection Connection { get; } = connection;

        public bool Active { get; set; } = true;

        /// <summary>Runs <paramref name="action"/> once the operation has committed, in the order registered; never if it rolls back.</summary>
        public void AfterCommit(Action action) => _afterCommit.Add(action);

        internal void Committed()
        {
            foreach (var action in _afterCommit)
            {
                action();
            }
        }
    }
}

/// <summary>A connection for one store call: the running operation's (borrowed) or a pooled one (returned on dispose).</summary>
internal readonly struct PostgresLease(NpgsqlConnection connection, PostgresOperations.Operation? operation) : IAsyncDisposable
{
    public NpgsqlConnection Connection => connection;

    /// <summary>The operation the call joins, or null when it runs on its own.</summary>
    public PostgresOperations.Operation? Operation => operation;

    public ValueTask DisposeAsync() => operation is null ? connection.DisposeAsync() : ValueTask.CompletedTask;
}
