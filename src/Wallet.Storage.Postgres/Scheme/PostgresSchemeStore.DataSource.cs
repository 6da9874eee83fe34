using static Wallet.Storage.Postgres.PostgresSql;

namespace Wallet.Storage.Postgres.Scheme;

// Where the store's connections come from, and when its schema is migrated: as PostgresLedgerStore, the data source is
// the store's own (built from a connection string) or the application's (never disposed here), and the migration runs
// once, asynchronously, before the first connection is handed out.
public sealed partial class PostgresSchemeStore
{
    // Serialises concurrent openers of one database (several scheme nodes starting together): migrations are not re-entrant.
    private const long MigrationLockId = 0x5743_5343_4845_4d31; // "WCSCHEM1"

    // Scripts indexed by the version they produce minus one. Never edit a shipped script; append a new one. Keys that
    // are listed in order (idempotency and ledger keys) sort bytewise (COLLATE "C"), as in the other stores.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE scheme_keysets (
            id bytea PRIMARY KEY,
            seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
            announcement bytea NOT NULL,
            log_index bigint NOT NULL,
            revoked boolean NOT NULL);
        CREATE TABLE scheme_accounts (account text PRIMARY KEY, key bytea NOT NULL);
        CREATE TABLE scheme_withdrawals (
            account text NOT NULL,
            idem text COLLATE "C" NOT NULL,
            request_hash bytea NOT NULL,
            response bytea NOT NULL,
            PRIMARY KEY (account, idem));
        CREATE TABLE scheme_blind_signatures (blinded bytea PRIMARY KEY, signature bytea NOT NULL, account text);
        CREATE TABLE scheme_spends (coin bytea PRIMARY KEY, spend bytea NOT NULL);
        CREATE TABLE scheme_deposits (
            provider text NOT NULL,
            idem text NOT NULL,
            request_hash bytea NOT NULL,
            receipt bytea NOT NULL,
            payments bytea NOT NULL,
            PRIMARY KEY (provider, idem));
        CREATE TABLE scheme_log_entries (idx bigint PRIMARY KEY CHECK (idx >= 0), entry bytea NOT NULL, op text NOT NULL UNIQUE);
        CREATE TABLE scheme_registries (version bigint PRIMARY KEY, registry bytea NOT NULL);
        CREATE TABLE scheme_swaps (idem text PRIMARY KEY, request_hash bytea NOT NULL, response bytea NOT NULL);
        CREATE TABLE scheme_swap_spends (coin bytea PRIMARY KEY, spend bytea NOT NULL);
        CREATE TABLE scheme_refund_claims (idem text PRIMARY KEY, request_hash bytea NOT NULL, refund_id bytea NOT NULL, coins bytea NOT NULL, response bytea);
        CREATE TABLE scheme_refund_ids (refund_id bytea PRIMARY KEY, idem text NOT NULL);
        CREATE TABLE scheme_refunded_coins (coin bytea PRIMARY KEY, idem text NOT NULL);
        CREATE TABLE scheme_contributions (
            ledger_key text COLLATE "C" PRIMARY KEY,
            worker text NOT NULL,
            source bigint NOT NULL,
            contributor text,
            fund text NOT NULL,
            amount bigint NOT NULL,
            day bigint NOT NULL);
        CREATE INDEX scheme_contributions_worker_day ON scheme_contributions (worker, day, ledger_key);
        """,

        // Version 2: blind signatures keyed by the SHA-256 of the blinded message instead of the 256- to 512-byte
        // message, as in the SQLite store's version 6: a much smaller index, written at one page per issued coin. The
        // lookups hash the message they are asked about.
        """
        CREATE TABLE scheme_issued_signatures (digest bytea PRIMARY KEY, signature bytea NOT NULL, account text);
        INSERT INTO scheme_issued_signatures (digest, signature, account)
        SELECT sha256(blinded), signature, account FROM scheme_blind_signatures ON CONFLICT (digest) DO NOTHING;
        DROP TABLE scheme_blind_signatures;
        """,
    ];

    private readonly bool _ownsDataSource;
    private readonly SemaphoreSlim _migration = new(1, 1);
    private volatile bool _migrated;

    /// <summary>The schema version this library writes (the row of <c>scheme_schema</c>).</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <summary>
    /// Migrates the scheme schema to <see cref="SchemaVersion"/> now, unless this store already did. Every operation
    /// does this first, so calling it is only a way to fail (or warm up) before the first request.
    /// </summary>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>A task that completes once the schema is current.</returns>
    /// <exception cref="InvalidOperationException">The schema is from a newer version.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached; nothing is remembered, so the next call tries again.</exception>
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
                await MigrateCoreAsync(cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _migration.Release();
        }
    }

    /// <summary>Closes the connection pool if the store built it; a data source the application handed in stays open.</summary>
    /// <returns>A task that completes when the pool is closed.</returns>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        return _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;
    }

    /// <summary>A store over a data source it builds from <paramref name="connectionString"/> and owns; opens nothing.</summary>
    internal static PostgresSchemeStore CreateOwning(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return new(NpgsqlDataSource.Create(connectionString), ownsDataSource: true);
    }

    /// <summary>A store over a data source the caller owns; opens nothing.</summary>
    internal static PostgresSchemeStore CreateBorrowing(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new(dataSource, ownsDataSource: false);
    }

    /// <summary>A store of a <see cref="PostgresSchemeDatabase"/>: its writes and reads join the flow's running operation.</summary>
    internal static PostgresSchemeStore CreateShared(NpgsqlDataSource dataSource, PostgresOperations operations) =>
        new(dataSource, ownsDataSource: false, operations);

    private async Task MigrateCoreAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockId})", cancellationToken).ConfigureAwait(false);
        await ExecAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS scheme_schema (version integer NOT NULL)", cancellationToken).ConfigureAwait(false);
        int version = await ScalarAsync(connection, transaction, "SELECT version FROM scheme_schema", cancellationToken).ConfigureAwait(false) is int v ? v : 0;
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"The scheme store has schema version {version}; this code reads up to {SchemaVersion}.");
        }

        for (; version < SchemaVersion; version++)
        {
            await ExecAsync(connection, transaction, Migrations[version], cancellationToken).ConfigureAwait(false);
            await ExecAsync(connection, transaction, version == 0 ? "INSERT INTO scheme_schema (version) VALUES (1)" : $"UPDATE scheme_schema SET version = {version + 1}", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Every connection the store works on comes from here, after the migration: the flow's operation's, or a pooled one.
    private async ValueTask<PostgresLease> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _operations.LeaseAsync(cancellationToken).ConfigureAwait(false);
    }

    // One statement, or several that must land together (a withdrawal and its blind signatures), in one transaction: the
    // running operation's (a failure then fails the operation, which PostgreSQL has aborted), or one of its own.
    private async ValueTask<T> WriteAsync<T>(CancellationToken cancellationToken, Func<NpgsqlConnection, NpgsqlTransaction?, Task<T>> change)
    {
        await using var lease = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (lease.Operation is not null)
        {
            return await change(lease.Connection, null).ConfigureAwait(false);
        }

        await using var transaction = await lease.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        T result = await change(lease.Connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async ValueTask WriteAsync(CancellationToken cancellationToken, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var lease = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(lease.Connection, null, sql, cancellationToken, parameters).ConfigureAwait(false);
    }

    // Every read is one statement, so it sees one snapshot without a transaction of its own (inside an operation, the
    // operation's own writes too).
    private async ValueTask<T> ReadAsync<T>(CancellationToken cancellationToken, Func<NpgsqlConnection, Task<T>> query)
    {
        await using var lease = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await query(lease.Connection).ConfigureAwait(false);
    }
    private async ValueTask<T?> ReadRowAsync<T>(CancellationToken cancellationToken, string sql, Func<NpgsqlDataReader, T> read, params (string Name, object? Value)[] parameters)
        where T : class =>
        await ReadAsync(cancellationToken, async c => (await RowsAsync(c, sql, read, cancellationToken, parameters).ConfigureAwait(false)).FirstOrDefault()).ConfigureAwait(false);

    private ValueTask<object?> ReadScalarAsync(CancellationToken cancellationToken, string sql, params (string Name, object? Value)[] parameters) =>
        ReadAsync(cancellationToken, c => ScalarAsync(c, null, sql, cancellationToken, parameters));
}
