namespace Wallet.Storage.Sqlite;

/// <summary>
/// The one writer connection of a <see cref="SqliteSchemeDatabase"/>, shared by its ledger, scheme and Merkle log
/// stores, and the operation transaction they join (<see cref="Protocol.Flows.ISchemeTransactions"/>).
/// </summary>
/// <remarks>
/// Transactions on the writer are plain SQL (<c>BEGIN IMMEDIATE</c>, <c>SAVEPOINT</c>), never a
/// <see cref="SqliteTransaction"/> object, so a store's write nests inside an operation as a savepoint and its commands
/// need no transaction object. One writer at a time holds <see cref="Gate"/>: an operation from its start to its commit,
/// or a store's single write outside any operation. Reads outside an operation use pooled reader connections, which see
/// the last committed state (WAL); reads inside one use the writer, which sees the operation's own writes.
/// </remarks>
internal sealed class SqliteSharedWriter : IDisposable
{
    private readonly AsyncLocal<Operation?> _current = new();
    private readonly string _readerConnectionString;
    private bool _disposed;

    public SqliteSharedWriter(SqliteConnection connection, string readerConnectionString)
    {
        Connection = connection;
        _readerConnectionString = readerConnectionString;
    }

    /// <summary>The writer connection; used only by the holder of <see cref="Gate"/> or by the running operation.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>Admits one writer at a time: an operation, or one store write outside any operation.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Whether the calling flow is inside an operation of this database (its reads and writes join it).</summary>
    public bool InOperation => _current.Value is { Active: true } operation && operation.Writer == this;

    /// <summary>Runs <paramref name="operation"/> in one transaction: committed when it returns, rolled back when it throws.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (InOperation)
        {
            throw new InvalidOperationException("An operation is already running in this flow; operations do not nest.");
        }

        ThrowIfDisposed();
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var current = new Operation(this);
        try
        {
            ThrowIfDisposed();
            SqliteConnections.Execute(Connection, "BEGIN IMMEDIATE");

            // Set inside this method: the value flows into the operation and everything it awaits, not to the caller.
            _current.Value = current;
            T result;
            try
            {
                result = await operation(cancellationToken).ConfigureAwait(false);
                current.Active = false;
                SqliteConnections.Execute(Connection, "COMMIT");
            }
            catch
            {
                current.Active = false;
                RollBack(Connection, "ROLLBACK");
                throw;
            }

            return result;
        }
        finally
        {
            current.Active = false;
            _current.Value = null;
            Gate.Release();
        }
    }

    /// <summary>Runs <paramref name="query"/> on the operation's connection inside one, else on a reader connection.</summary>
    public T Read<T>(CancellationToken cancellationToken, Func<SqliteConnection, T> query)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (InOperation)
        {
            return query(Connection);
        }

        using var reader = OpenReader();
        return query(reader);
    }

    /// <summary>
    /// Runs <paramref name="write"/> as a savepoint of the flow's operation, or, outside any, in a transaction of its own
    /// once the writer is free; all of it or none of it takes effect.
    /// </summary>
    public async ValueTask<T> WriteAsync<T>(CancellationToken cancellationToken, Func<SqliteConnection, T> write)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (InOperation)
        {
            return InSavepoint(Connection, write);
        }

        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            SqliteConnections.Execute(Connection, "BEGIN IMMEDIATE");
            try
            {
                var result = write(Connection);
                SqliteConnections.Execute(Connection, "COMMIT");
                return result;
            }
            catch
            {
                RollBack(Connection, "ROLLBACK");
                throw;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A new connection to the database for reads, from the pool.</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readerConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="write"/> in a savepoint of whatever transaction <paramref name="connection"/> holds (or as a transaction of its own).</summary>
    public static T InSavepoint<T>(SqliteConnection connection, Func<SqliteConnection, T> write)
    {
        SqliteConnections.Execute(connection, "SAVEPOINT store_write");
        try
        {
            var result = write(connection);
            SqliteConnections.Execute(connection, "RELEASE store_write");
            return result;
        }
        catch
        {
            RollBack(connection, "ROLLBACK TO store_write; RELEASE store_write");
            throw;
        }
    }

    /// <summary>Closes the writer; an operation still running fails at its next store call.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Connection.Dispose();
        using (var pooled = new SqliteConnection(_readerConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }
    }

    // A failed statement may have ended the transaction already (SQLite rolls back on some errors): nothing to undo then.
    private static void RollBack(SqliteConnection connection, string sql)
    {
        try
        {
            SqliteConnections.Execute(connection, sql);
        }
        catch (SqliteException)
        {
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteSchemeDatabase));

    private sealed class Operation(SqliteSharedWriter writer)
    {
        public SqliteSharedWriter Writer { get; } = writer;

        public bool Active { get; set; } = true;
    }
}
