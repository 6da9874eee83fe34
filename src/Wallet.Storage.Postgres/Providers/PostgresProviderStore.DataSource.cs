using static Wallet.Storage.Postgres.PostgresSql;
namespace Wallet.Storage.Postgres.Providers;

// Where the store's connections come from, and when its schema is migrated: as PostgresLedgerStore, creating a store
// opens nothing, and the migration runs once, asynchronously, before the first connection is handed out.
public sealed partial class PostgresProviderStore
{
    private readonly bool _ownsDataSource;
    private readonly SemaphoreSlim _migration = new(1, 1);
    private volatile bool _migrated;

    /// <summary>
    /// Creates a provider store over a data source the caller owns, such as the <see cref="NpgsqlDataSource"/> an
    /// application registers in DI. Opens no connection: the schema is migrated (in the first schema of the data
    /// source's search path) before the store's first operation, or by <see cref="MigrateAsync"/>.
    /// </summary>
    /// <param name="dataSource">The data source; the store never disposes it.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public static PostgresProviderStore Create(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new PostgresProviderStore(dataSource, ownsDataSource: false);
    }

    /// <summary>
    /// Migrates the provider schema to <see cref="SchemaVersion"/> now, unless this store already did. Every operation
    /// does this first, so calling it is only a way to fail (or warm up) before the first request.
    /// </summary>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>A task that completes once the schema is current.</returns>
    /// <exception cref="InvalidOperationException">The schema is from a newer version.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached; nothing is remembered, so the next call tries again.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (_migrated)
        {
            return;
        }

        await _migration.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await MigrateCoreAsync(cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _migration.Release();
        }
    }

    /// <summary>A store over a data source it builds from <paramref name="connectionString"/> and owns; opens nothing.</summary>
    internal static PostgresProviderStore CreateOwning(string connectionString) =>
        new(NpgsqlDataSource.Create(connectionString), ownsDataSource: true);

    private async Task MigrateCoreAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockId})", cancellationToken).ConfigureAwait(false);
        await ExecAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS provider_schema (version integer NOT NULL)", cancellationToken).ConfigureAwait(false);
        int version = await ScalarAsync(connection, transaction, "SELECT version FROM provider_schema", cancellationToken).ConfigureAwait(false) is int v ? v : 0;
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"The provider store has schema version {version}; this code reads up to {SchemaVersion}.");
        }

        for (; version < SchemaVersion; version++)
        {
            await ExecAsync(connection, transaction, Migrations[version], cancellationToken).ConfigureAwait(false);
            await ExecAsync(connection, transaction, version == 0 ? "INSERT INTO provider_schema (version) VALUES (1)" : $"UPDATE provider_schema SET version = {version + 1}", cancellationToken).ConfigureAwait(false);
        }

        await ExecAsync(connection, transaction, RefundTables, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Every connection the store works on comes from here, after the migration.
    private async ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }
}
