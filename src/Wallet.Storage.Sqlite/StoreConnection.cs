namespace Wallet.Storage.Sqlite;

/// <summary>
/// Where a protocol store runs its statements: its own file's one connection under a lock
/// (<see cref="GuardedConnection"/>), or the shared writer of a <see cref="SqliteSchemeDatabase"/>. Every write runs
/// whole or not at all: a savepoint on its own connection, or a savepoint of the operation it belongs to.
/// </summary>
internal sealed class StoreConnection : IDisposable
{
    private readonly GuardedConnection? _own;
    private readonly SqliteSharedWriter? _shared;

    /// <summary>A store in a file of its own: <paramref name="connection"/> is disposed with this.</summary>
    public StoreConnection(SqliteConnection connection, Type owner) => _own = new GuardedConnection(connection, owner);

    /// <summary>A store in a shared database, which owns the connection.</summary>
    public StoreConnection(SqliteSharedWriter shared) => _shared = shared;

    public T Read<T>(CancellationToken cancellationToken, Func<SqliteConnection, T> query) =>
        _shared is null ? _own!.Run(cancellationToken, query) : _shared.Read(cancellationToken, query);

    public ValueTask<T> WriteAsync<T>(CancellationToken cancellationToken, Func<SqliteConnection, T> write) =>
        _shared is null
            ? ValueTask.FromResult(_own!.Run(cancellationToken, c => SqliteSharedWriter.InSavepoint(c, write)))
            : _shared.WriteAsync(cancellationToken, write);

    public void Dispose() => _own?.Dispose();
}
