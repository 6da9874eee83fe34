namespace Wallet.Storage.Postgres;

/// <summary>
/// The operation transaction shared by the stores of one <see cref="PostgresSchemeDatabase"/>: one pooled connection
/// per operation, in one transaction (READ COMMITTED, as the ledger's writers), found by the stores through an
/// <see cref="AsyncLocal{T}"/> that flows only into the operation.
/// </summary>
/// <remarks>
/// Transactions are plain SQL (<c>BEGIN</c>, <c>SAVEPOINT</c>, <c>COMMIT</c>), never an <see cref="NpgsqlTransaction"/>,
/// so the ledger's write can nest as a savepoint and send it with its first statement, as it sends <c>BEGIN</c> on its
/// own. PostgreSQL aborts a transaction at its first failed statement and answers a later <c>COMMIT</c> with a
/// rollback, not an error; the commit therefore sends a statement before the <c>COMMIT</c>, which fails in an aborted
/// transaction, so an operation that swallowed a store's failure is refused instead of being believed kept.
/// </remarks>
internal sealed class PostgresOperations(NpgsqlDataSource dataSource)
{
    private readonly AsyncLocal<Operation?> _current = new();

    /// <summary>The calling flow's running operation of this database, or null.</summary>
    public Operation? Current => _current.Value is { Active: true } operation && operation.Owner == this ? operation : null;

    /// <summary>Runs <paramref name="operation"/> in one transaction: committed when it returns, rolled back when it throws.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="onCommitUnknown">Called when the outcome of the COMMIT cannot be known (the connection failed during it).</param>
    /// <param name="cancellationToken">Cancels the connection, the BEGIN and the operation; not the COMMIT.</param>
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
            await ExecuteAsync(connection, "BEGIN ISOLATION LEVEL READ COMMITTED", cancellationToken).ConfigureAwait(false);

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
                await RollBackAsync(connection).ConfigureAwait(false);
                throw;
            }

            await CommitAsync(connection, onCommitUnknown).ConfigureAwait(false);
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

    private static async Task CommitAsync(NpgsqlConnection connection, Action onCommitUnknown)
    {
        await using var batch = new NpgsqlBatch(connection);

        // Fails with 25P02 in an aborted transaction, and the COMMIT behind it is then never run.
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
            await RollBackAsync(connection).ConfigureAwait(false);
            throw;
        }
        catch (NpgsqlException)
        {
            onCommitUnknown();
            throw;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task RollBackAsync(NpgsqlConnection connection)
    {
        if (connection.State != ConnectionState.Open)
        {
            return;
        }

        try
        {
            await ExecuteAsync(connection, "ROLLBACK", CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
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
