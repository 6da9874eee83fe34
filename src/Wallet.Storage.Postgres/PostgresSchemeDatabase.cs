using Wallet.Protocol.Flows;
using Wallet.Storage.Postgres.Merkle;
using Wallet.Storage.Postgres.Scheme;

namespace Wallet.Storage.Postgres;

/// <summary>
/// The scheme's whole state in one PostgreSQL database (one schema): the ledger, the scheme store and the Merkle log,
/// whose writes inside a scheme operation share one connection and one transaction (<see cref="ISchemeTransactions"/>),
/// so each operation commits its journal entry, its scheme records and its log leaf together, or none of them. Pass
/// the database itself as the scheme's <c>Transactions</c>, and its three stores as the scheme's stores.
/// </summary>
/// <remarks>
/// <para>
/// docs/architecture.md "One transaction per operation". <see cref="RunAsync{T}"/> takes a pooled connection and
/// begins a READ COMMITTED transaction on it; a store called from the operation's asynchronous flow runs its
/// statements there (the ledger's write as a savepoint, with the head-row lock it always takes), and sees the
/// operation's own writes; a store called from any other flow uses a pooled connection of its own and sees only
/// committed state. What a ledger write teaches this process (its cache of balances at the new head, the spent-set
/// partitions it created) is kept only once the operation has committed.
/// </para>
/// <para>
/// Several scheme nodes may share the database: their operations are serialised where they must be by the rows they
/// lock (the ledger head, the log head) and by the scheme's write lock (<c>PostgresSchemeWriteLock</c>), which every
/// node must use. A statement that fails inside an operation aborts its transaction (PostgreSQL's rule): the
/// operation then fails and nothing it wrote is kept, even if it caught the store's exception.
/// </para>
/// </remarks>
public sealed class PostgresSchemeDatabase : ISchemeTransactions, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgresOperations _operations;
    private int _disposed;

    private PostgresSchemeDatabase(NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _operations = new PostgresOperations(dataSource);
        Ledger = PostgresLedgerStore.CreateShared(dataSource, _operations);
        Scheme = PostgresSchemeStore.CreateShared(dataSource, _operations);
        Log = PostgresMerkleLogStore.CreateShared(dataSource, _operations);
    }

    /// <summary>The ledger's store; its writes join the running operation.</summary>
    public PostgresLedgerStore Ledger { get; }

    /// <summary>The scheme store; its writes join the running operation.</summary>
    public PostgresSchemeStore Scheme { get; }

    /// <summary>The Merkle log's store; its appends join the running operation.</summary>
    public PostgresMerkleLogStore Log { get; }

    /// <summary>
    /// Creates the database's stores over a data source the caller owns, such as the <see cref="NpgsqlDataSource"/>
    /// an application registers in DI, without opening anything: the schemas are migrated before the first operation,
    /// or by <see cref="MigrateAsync"/>. This is what a DI factory, which must not block, uses.
    /// </summary>
    /// <param name="dataSource">The data source; never disposed here. Build it from <see cref="PostgresLedgerStore.TuneConnectionString"/> for the measured settings.</param>
    /// <returns>The database.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    public static PostgresSchemeDatabase Create(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new PostgresSchemeDatabase(dataSource, ownsDataSource: false);
    }

    /// <summary>Opens the database over a data source the caller owns and migrates the three stores' schemas now.</summary>
    /// <param name="dataSource">The data source; never disposed here.</param>
    /// <param name="cancellationToken">Cancels the connection and migrations.</param>
    /// <returns>The database.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="LedgerStoreException">The server cannot be reached or the ledger's schema is from a newer version.</exception>
    /// <exception cref="InvalidOperationException">The scheme store's or the log's schema is from a newer version.</exception>
    /// <exception cref="NpgsqlException">The server failed while migrating the scheme store or the log.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<PostgresSchemeDatabase> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        MigratedAsync(Create(dataSource), cancellationToken);

    /// <summary>
    /// Opens the database over a data source it builds from <paramref name="connectionString"/> (with
    /// <see cref="PostgresLedgerStore.TuneConnectionString"/>) and owns, and migrates the three stores' schemas now.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string; <c>Search Path</c> selects the schema.</param>
    /// <param name="cancellationToken">Cancels the connection and migrations.</param>
    /// <returns>The database; dispose it to close its connection pool.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or malformed.</exception>
    /// <exception cref="LedgerStoreException">The server cannot be reached or the ledger's schema is from a newer version.</exception>
    /// <exception cref="InvalidOperationException">The scheme store's or the log's schema is from a newer version.</exception>
    /// <exception cref="NpgsqlException">The server failed while migrating the scheme store or the log.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<PostgresSchemeDatabase> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var dataSource = NpgsqlDataSource.Create(PostgresLedgerStore.TuneConnectionString(connectionString));
        return MigratedAsync(new PostgresSchemeDatabase(dataSource, ownsDataSource: true), cancellationToken);
    }

    /// <summary>Migrates the three stores' schemas now, unless done already; every operation does it first.</summary>
    /// <param name="cancellationToken">Cancels the connection and migrations.</param>
    /// <returns>A task that completes when every schema is current.</returns>
    /// <exception cref="LedgerStoreException">The server cannot be reached or the ledger's schema is from a newer version.</exception>
    /// <exception cref="InvalidOperationException">The scheme store's or the log's schema is from a newer version.</exception>
    /// <exception cref="NpgsqlException">The server failed while migrating the scheme store or the log.</exception>
    /// <exception cref="ObjectDisposedException">The database is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await Ledger.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await Scheme.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await Log.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The COMMIT is not cancellable once sent; if the connection fails during it, the exception is passed on and the
    /// outcome is unknown to this process (the operation's idempotency key finds it on a retry).
    /// </remarks>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);

        // Before BEGIN: a migration runs on a connection of its own, and its DDL must not wait on this transaction.
        await MigrateAsync(cancellationToken).ConfigureAwait(false);
        return await _operations.RunAsync(operation, Ledger.Cache.Clear, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connection pool if the database built it; a data source the application handed in stays open.</summary>
    /// <returns>A task that completes when the stores and the pool are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Ledger.DisposeAsync().ConfigureAwait(false);
        await Scheme.DisposeAsync().ConfigureAwait(false);
        await Log.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<PostgresSchemeDatabase> MigratedAsync(PostgresSchemeDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return database;
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
