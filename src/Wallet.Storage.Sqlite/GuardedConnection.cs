namespace Wallet.Storage.Sqlite;

/// <summary>
/// The one connection of a protocol store, guarded by one lock: SQLite serialises writers anyway, and WAL lets other
/// processes read. Every operation checks cancellation first and fails with the store's
/// <see cref="ObjectDisposedException"/> once the store is disposed.
/// </summary>
/// <param name="connection">The open connection; disposed with this.</param>
/// <param name="owner">The store's type, named by <see cref="ObjectDisposedException"/>.</param>
internal sealed class GuardedConnection(SqliteConnection connection, Type owner) : IDisposable
{
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Runs <paramref name="operation"/> on the connection under the lock.</summary>
    public T Run<T>(CancellationToken cancellationToken, Func<SqliteConnection, T> operation)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, owner);
            return operation(connection);
        }
    }

    /// <summary>Runs <paramref name="operation"/> on the connection under the lock.</summary>
    public void Run(CancellationToken cancellationToken, Action<SqliteConnection> operation) =>
        Run(cancellationToken, c =>
        {
            operation(c);
            return true;
        });

    /// <summary>Closes the connection; later operations throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _disposed = true;
                connection.Dispose();
            }
        }
    }
}
