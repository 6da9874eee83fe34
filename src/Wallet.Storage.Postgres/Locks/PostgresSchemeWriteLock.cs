using Wallet.Protocol.Flows;

namespace Wallet.Storage.Postgres.Locks;

/// <summary>
/// The scheme's write lock shared by several processes serving one scheme over one PostgreSQL database: a session-level
/// advisory lock (<c>pg_advisory_lock</c>) held on a connection this object keeps for it alone, so the server releases
/// it when that connection dies, a killed node's included.
/// </summary>
/// <remarks>
/// <para>
/// docs/scaling.md "Several nodes". Give every node's <c>BenefitScheme</c> one of these (its <c>WriteLock</c>) over the
/// scheme's database with the same <see cref="LockId"/>. Within one process, holders also queue on a local semaphore,
/// so the connection carries one lock request at a time.
/// </para>
/// <para>
/// A connection that dies while the lock is held means the server has released it and another node may hold it:
/// <see cref="EnsureHeldAsync"/> (called before every log append) and releasing the lease then throw
/// <see cref="SchemeWriteLockLostException"/>, so the operation fails instead of reporting success. The next
/// <see cref="EnterAsync"/> opens a new connection. A node that loses its network without its socket being closed keeps
/// the lock until the server notices: set the server's <c>tcp_keepalives_idle</c> (docs/scaling.md "Several nodes").
/// </para>
/// <para>
/// Advisory locks are per database, not per schema: schemes that share a database in different schemas need
/// different lock ids. Messages never carry the connection string.
/// </para>
/// </remarks>
public sealed class PostgresSchemeWriteLock : ISchemeWriteLock, IAsyncDisposable
{
    /// <summary>The advisory lock id every node uses unless told otherwise: the ASCII bytes of <c>WCGATE01</c>.</summary>
    public const long DefaultLockId = 0x5743_4741_5445_3031;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly SemaphoreSlim _local = new(1, 1);
    private readonly Lease _lease;
    private NpgsqlConnection? _connection;
    private bool _held;
    private volatile bool _disposed;

    private PostgresSchemeWriteLock(NpgsqlDataSource dataSource, bool ownsDataSource, long lockId)
    {
        (_dataSource, _ownsDataSource, LockId) = (dataSource, ownsDataSource, lockId);
        _lease = new Lease(this);
    }

    /// <summary>The advisory lock id (one 64-bit key) this lock takes.</summary>
    public long LockId { get; }

    /// <summary>
    /// Creates the lock over a data source the caller owns (never disposed by the lock). Opens nothing: the lock's
    /// connection is opened by the first <see cref="EnterAsync"/>. For a DI factory, which cannot wait.
    /// </summary>
    /// <param name="dataSource">The scheme database's data source.</param>
    /// <param name="lockId">The advisory lock id; the same on every node of the scheme.</param>
    /// <returns>The lock.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    public static PostgresSchemeWriteLock Create(NpgsqlDataSource dataSource, long lockId = DefaultLockId)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new PostgresSchemeWriteLock(dataSource, ownsDataSource: false, lockId);
    }

    /// <summary>Opens the lock's connection over a data source the caller owns (never disposed by the lock).</summary>
    /// <param name="dataSource">The scheme database's data source.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The lock, connected, not held.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="SchemeWriteLockException">The server cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<PostgresSchemeWriteLock> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        OpenAsync(dataSource, DefaultLockId, cancellationToken);

    /// <summary>Opens the lock's connection over a data source the caller owns (never disposed by the lock), with a lock id.</summary>
    /// <param name="dataSource">The scheme database's data source.</param>
    /// <param name="lockId">The advisory lock id; the same on every node of the scheme.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The lock, connected, not held.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="SchemeWriteLockException">The server cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<PostgresSchemeWriteLock> OpenAsync(NpgsqlDataSource dataSource, long lockId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return ConnectedAsync(new PostgresSchemeWriteLock(dataSource, ownsDataSource: false, lockId), cancellationToken);
    }

    /// <summary>Opens the lock's own connection (unpooled, so closing it ends its session) to the database of a connection string.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The lock, connected, not held.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or malformed.</exception>
    /// <exception cref="SchemeWriteLockException">The server cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<PostgresSchemeWriteLock> OpenAsync(string connectionString, CancellationToken cancellationToken = default) =>
        OpenAsync(connectionString, DefaultLockId, cancellationToken);

    /// <summary>Opens the lock's own connection (unpooled) to the database of a connection string, with a lock id.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="lockId">The advisory lock id; the same on every node of the scheme.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The lock, connected, not held.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or malformed.</exception>
    /// <exception cref="SchemeWriteLockException">The server cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<PostgresSchemeWriteLock> OpenAsync(string connectionString, long lockId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        return ConnectedAsync(new PostgresSchemeWriteLock(NpgsqlDataSource.Create(builder.ConnectionString), ownsDataSource: true, lockId), cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The lock is disposed.</exception>
    public async ValueTask<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _local.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = _connection is { State: ConnectionState.Open } open ? open : await ConnectAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "SELECT pg_advisory_lock($1)", cancellationToken, LockId).ConfigureAwait(false);
            _held = true;
            return _lease;
        }
        catch (Exception ex)
        {
            // Cancelled as the server granted it, or a connection that broke: ending the session leaves nothing held.
            await DropConnectionAsync().ConfigureAwait(false);
            _local.Release();
            if (ex is NpgsqlException)
            {
                throw new SchemeWriteLockException("Cannot take the scheme's write lock: the database did not answer.", ex);
            }

            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>One round trip on the lock's connection: while its session lives, the session's lock is held.</remarks>
    public async ValueTask EnsureHeldAsync(CancellationToken cancellationToken)
    {
        if (!_held || _connection is not { State: ConnectionState.Open } connection)
        {
            throw new SchemeWriteLockLostException("The scheme's write lock is not held: its connection is gone.");
        }

        try
        {
            await ExecuteAsync(connection, "SELECT 1", cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            _held = false;
            throw new SchemeWriteLockLostException("The scheme's write lock was lost: its connection died, and the server released it.", ex);
        }
    }

    /// <summary>Closes the lock's connection (its session ends, and with it anything it held) and, if the lock built it, its data source.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await DropConnectionAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<PostgresSchemeWriteLock> ConnectedAsync(PostgresSchemeWriteLock writeLock, CancellationToken cancellationToken)
    {
        try
        {
            await writeLock._local.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await writeLock.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                writeLock._local.Release();
            }

            return writeLock;
        }
        catch (Exception ex)
        {
            await writeLock.DisposeAsync().ConfigureAwait(false);
            if (ex is NpgsqlException)
            {
                throw new SchemeWriteLockException("Cannot open the scheme's write lock: the database did not answer.", ex);
            }

            throw;
        }
    }

    private static async Task<bool> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, long? lockId = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (lockId is long id)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        }

        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    // Callers hold _local.
    private async ValueTask<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        await DropConnectionAsync().ConfigureAwait(false);
        _connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return _connection;
    }

    // Ends the lock's session. A pooled connection would keep its session (and a lock it might hold) in the pool, so a
    // healthy one releases every advisory lock first; a broken one is never pooled again.
    private async ValueTask DropConnectionAsync()
    {
        var connection = _connection;
        _connection = null;
        _held = false;
        if (connection is null)
        {
            return;
        }

        try
        {
            if (connection.State == ConnectionState.Open)
            {
                await ExecuteAsync(connection, "SELECT pg_advisory_unlock_all()", CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException)
        {
            // Broken: the server has ended the session already.
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Releasing: unlock on the same session, and say so when the session that held the lock is gone.
    private async ValueTask ReleaseAsync()
    {
        try
        {
            if (!_held || _connection is not { State: ConnectionState.Open } connection)
            {
                await DropConnectionAsync().ConfigureAwait(false);
                throw new SchemeWriteLockLostException("The scheme's write lock was lost while held: its connection is gone.");
            }

            bool released;
            try
            {
                released = await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None, LockId).ConfigureAwait(false);
            }
            catch (NpgsqlException ex)
            {
                await DropConnectionAsync().ConfigureAwait(false);
                throw new SchemeWriteLockLostException("The scheme's write lock was lost while held: its connection died, and the server released it.", ex);
            }

            if (!released)
            {
                await DropConnectionAsync().ConfigureAwait(false);
                throw new SchemeWriteLockLostException("The scheme's write lock was not held by its session when released.");
            }
        }
        finally
        {
            _held = false;
            _local.Release();
        }
    }

    // One lease per lock: the lock has one holder at a time in this process.
    private sealed class Lease(PostgresSchemeWriteLock owner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => owner.ReleaseAsync();
    }
}
