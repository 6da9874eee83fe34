namespace Wallet.Storage.Postgres.Ledger;

// Where the store's connections come from, and when its schema is migrated. The data source is either one the store
// built from a connection string (it owns and disposes it) or one the application hands it, for example the
// NpgsqlDataSource registered in DI (the application owns it). Creating a store opens nothing: the migration runs once,
// asynchronously, before the first connection is handed out (or when MigrateAsync is called), so a DI factory never
// blocks on the network.
public sealed partial class PostgresLedgerStore
{
    private readonly bool _ownsDataSource;
    private readonly SemaphoreSlim _migration = new(1, 1);
    private volatile bool _migrated;

    /// <summary>
    /// Creates a ledger store over a data source the caller owns, such as the <see cref="NpgsqlDataSource"/> an
    /// application registers in DI. Opens no connection: the schema is migrated (in the first schema of the data
    /// source's search path) before the store's first operation, or by <see cref="MigrateAsync"/>.
    /// </summary>
    /// <param name="dataSource">The data source; the store never disposes it.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// The store uses the data source as it is. <see cref="TuneConnectionString"/> gives the settings
    /// <see cref="OpenAsync(string, CancellationToken)"/> applies (statement preparation, no reset on close, custom
    /// plans); build the data source from its result to get the same round trips (docs/operations.md).
    /// </remarks>
    public static PostgresLedgerStore Create(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new PostgresLedgerStore(dataSource, ownsDataSource: false);
    }

    /// <summary>
    /// Adds to a connection string the settings the ledger store is measured with (docs/scaling.md): pooled
    /// connections are not reset on return (the store never changes session state), statements used twice are
    /// prepared (<c>Max Auto Prepare</c> 64 unless the string sets one), and every statement is planned for its
    /// parameters (<c>plan_cache_mode=force_custom_plan</c>).
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The connection string with those settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or malformed.</exception>
    public static string TuneConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };

        // Generic plans over the partitioned spent set made the deposit path 3-4x slower when tried (docs/scaling.md).
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        builder.Options = string.IsNullOrWhiteSpace(builder.Options)
            ? "-c plan_cache_mode=force_custom_plan"
            : "-c plan_cache_mode=force_custom_plan " + builder.Options;
        return builder.ConnectionString;
    }

    /// <summary>
    /// Migrates the ledger schema to <see cref="SchemaVersion"/> now, unless this store already did. Every operation
    /// does this first, so calling it is only a way to fail (or warm up) before the first request.
    /// </summary>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>A task that completes once the schema is current.</returns>
    /// <exception cref="LedgerStoreException">The server cannot be reached or the schema is from a newer version; nothing is remembered, so the next call tries again.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_migrated)
        {
            return;
        }

        await _migration.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await PostgresLedgerSchema.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        catch (NpgsqlException ex)
        {
            throw new LedgerStoreException($"Cannot open the ledger database: {ex.Message}", ex);
        }
        finally
        {
            _migration.Release();
        }
    }

    /// <summary>A store over a data source it builds from <paramref name="connectionString"/> (tuned) and owns; opens nothing.</summary>
    internal static PostgresLedgerStore CreateOwning(string connectionString) =>
        new(NpgsqlDataSource.Create(TuneConnectionString(connectionString)), ownsDataSource: true);

    /// <summary>A store of a <see cref="PostgresSchemeDatabase"/>: its writes and reads join the flow's running operation.</summary>
    internal static PostgresLedgerStore CreateShared(NpgsqlDataSource dataSource, PostgresOperations operations) =>
        new(dataSource, ownsDataSource: false, operations);

    // Every connection the store works on comes from here, after the migration: the flow's operation's, or a pooled one.
    private async ValueTask<PostgresLease> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _operations.LeaseAsync(cancellationToken).ConfigureAwait(false);
    }
}
