using Wallet.Crypto.Signing;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Log;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;
using static Wallet.Storage.Postgres.PostgresSql;

namespace Wallet.Storage.Postgres.Scheme;

/// <summary>
/// An <see cref="ISchemeStore"/> in PostgreSQL: keysets, account keys, withdrawals, first spends, deposits, log
/// records, registry versions, swaps, refund claims and contribution records, in tables named <c>scheme_*</c> that can
/// share one database (and schema) with <see cref="PostgresLedgerStore"/>. Every value is stored in its canonical
/// encoding and decoded on read, so a corrupted row surfaces as <see cref="Protocol.Wire.ProtocolFormatException"/>,
/// never as a wrong value.
/// </summary>
/// <remarks>
/// Several processes (scheme nodes) may use one database at once: the store keeps no state but its connection pool,
/// so every read sees what any node committed. "First write wins" methods are <c>INSERT … ON CONFLICT DO NOTHING</c>,
/// and a put that writes several rows (a withdrawal and its blind signatures) is one transaction whose dependent rows
/// are written only by the writer whose first row went in. The schema is versioned in <c>scheme_schema</c> and migrated
/// at open under an advisory lock, in the first schema of the connection's search path.
/// </remarks>
public sealed partial class PostgresSchemeStore : ISchemeStore, IAsyncDisposable
{
    // Serialises log-record writes across processes: a record replaces the row at its index and drops its operation's
    // row at another index, two statements that must not interleave with another writer's.
    private const long LogLockId = 0x5743_5343_4845_4c31; // "WCSCHEL1"

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresOperations _operations;
    private volatile bool _disposed;

    private PostgresSchemeStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresOperations? operations = null)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _operations = operations ?? new PostgresOperations(dataSource);
    }

    /// <summary>Connects to a database and migrates the scheme schema to <see cref="SchemaVersion"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string; <c>Search Path</c> selects the schema.</param>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>The store; dispose it to close its connection pool.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null, empty or malformed.</exception>
    /// <exception cref="InvalidOperationException">The schema is from a newer version.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<PostgresSchemeStore> OpenAsync(string connectionString, CancellationToken cancellationToken = default) =>
        MigratedAsync(CreateOwning(connectionString), cancellationToken);

    /// <summary>
    /// Opens the store over a data source the caller owns, such as the <see cref="NpgsqlDataSource"/> an application
    /// registers in DI (and may share with the ledger store), and migrates the scheme schema to <see cref="SchemaVersion"/>.
    /// </summary>
    /// <param name="dataSource">The data source; the store never disposes it.</param>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The schema is from a newer version.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<PostgresSchemeStore> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        MigratedAsync(CreateBorrowing(dataSource), cancellationToken);

    /// <inheritdoc/>
    public ValueTask PutKeysetAsync(StoredKeyset keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        return WriteAsync(
            cancellationToken,
            "INSERT INTO scheme_keysets (id, announcement, log_index, revoked) VALUES (@id, @a, @i, @r) ON CONFLICT (id) DO NOTHING",
            ("id", keyset.Announcement.Descriptor.Id.Bytes.ToArray()), ("a", keyset.Announcement.Encode()), ("i", (long)keyset.LogIndex), ("r", keyset.Revoked));
    }

    /// <inheritdoc/>
    public ValueTask<bool> RevokeKeysetAsync(KeysetId keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        return WriteAsync(cancellationToken, async (c, t) =>
            await ExecAsync(c, t, "UPDATE scheme_keysets SET revoked = true WHERE id = @id", cancellationToken, ("id", keyset.Bytes.ToArray())).ConfigureAwait(false) == 1);
    }

    /// <inheritdoc/>
    public async ValueTask<StoredKeyset?> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        return (await KeysetsAsync(cancellationToken, "WHERE id = @id", ("id", keyset.Bytes.ToArray())).ConfigureAwait(false)).FirstOrDefault();
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<StoredKeyset>> ListKeysetsAsync(CancellationToken cancellationToken) =>
        await KeysetsAsync(cancellationToken, "ORDER BY seq").ConfigureAwait(false);

    /// <inheritdoc/>
    public ValueTask PutAccountKeyAsync(AccountId account, Ed25519PublicKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(
            cancellationToken,
            "INSERT INTO scheme_accounts (account, key) VALUES (@a, @k) ON CONFLICT (account) DO UPDATE SET key = excluded.key",
            ("a", account.Value), ("k", key.Export()));
    }

    /// <inheritdoc/>
    public async ValueTask<Ed25519PublicKey?> GetAccountKeyAsync(AccountId account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return await ReadScalarAsync(cancellationToken, "SELECT key FROM scheme_accounts WHERE account = @a", ("a", account.Value)).ConfigureAwait(false) is byte[] key
            ? Ed25519PublicKey.Import(key)
            : null;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> HasAccountAsync(AccountId account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return await ReadScalarAsync(cancellationToken, "SELECT 1 FROM scheme_accounts WHERE account = @a", ("a", account.Value)).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlySet<AccountId>> FindRegisteredAccountsAsync(IReadOnlyCollection<AccountId> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var byValue = new Dictionary<string, AccountId>(StringComparer.Ordinal);
        foreach (var account in accounts)
        {
            ArgumentNullException.ThrowIfNull(account, nameof(accounts));
            byValue.TryAdd(account.Value, account);
        }

        // One round trip for the whole set, however many accounts a payroll batch names; one index probe per account
        // (the LIMIT keeps the planner from scanning the table instead, as it may for "= ANY(array)").
        const string Sql = "SELECT a.account FROM unnest(@a::text[]) AS a(account) CROSS JOIN LATERAL (SELECT 1 FROM scheme_accounts s WHERE s.account = a.account LIMIT 1) found";
        var found = await ReadAsync(cancellationToken, c => PostgresSql.RowsAsync(c, Sql, r => r.GetString(0), cancellationToken, ("a", byValue.Keys.ToArray()))).ConfigureAwait(false);
        return found.Select(value => byValue[value]).ToHashSet();
    }

    /// <inheritdoc/>
    public ValueTask PutLogEntryAsync(ulong index, LogEntry entry, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, (ulong)long.MaxValue);
        byte[] encoded = entry.Encode();

        // One command, so one round trip and one implicit transaction (Npgsql sends its statements with one Sync): the
        // lock is held while the two statements it guards run, and released with them (or with the operation).
        return WriteAsync(
            cancellationToken,
            $"""
            SELECT pg_advisory_xact_lock({LogLockId});
            DELETE FROM scheme_log_entries WHERE op = @o AND idx <> @i;
            INSERT INTO scheme_log_entries (idx, entry, op) VALUES (@i, @e, @o) ON CONFLICT (idx) DO UPDATE SET entry = excluded.entry, op = excluded.op;
            """,
            ("o", operation), ("i", (long)index), ("e", encoded));
    }

    /// <inheritdoc/>
    public async ValueTask<ulong?> FindLogIndexAsync(string operation, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        return await ReadScalarAsync(cancellationToken, "SELECT idx FROM scheme_log_entries WHERE op = @o", ("o", operation)).ConfigureAwait(false) is long i ? (ulong)i : null;
    }

    /// <inheritdoc/>
    public async ValueTask<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken)
    {
        if (index > long.MaxValue)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }

        return await ReadScalarAsync(cancellationToken, "SELECT entry FROM scheme_log_entries WHERE idx = @i", ("i", (long)index)).ConfigureAwait(false) is byte[] e
            ? LogEntry.Decode(e)
            : null;
    }

    /// <inheritdoc/>
    public ValueTask PutRegistryAsync(AccreditationRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return WriteAsync(
            cancellationToken,
            "INSERT INTO scheme_registries (version, registry) VALUES (@v, @r) ON CONFLICT (version) DO NOTHING",
            ("v", (long)registry.Version), ("r", registry.Encode()));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<AccreditationRegistry>>(cancellationToken, async c =>
            (await RowsAsync(c, "SELECT registry FROM scheme_registries ORDER BY version", r => (byte[])r[0], cancellationToken).ConfigureAwait(false))
                .Select(r => AccreditationRegistry.Decode(r)).ToList());

    private static async Task<PostgresSchemeStore> MigratedAsync(PostgresSchemeStore store, CancellationToken cancellationToken)
    {
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private ValueTask<List<StoredKeyset>> KeysetsAsync(CancellationToken cancellationToken, string clause, params (string Name, object? Value)[] parameters) =>
        ReadAsync(cancellationToken, async c =>
            (await RowsAsync(c, "SELECT announcement, log_index, revoked FROM scheme_keysets " + clause, r => ((byte[])r[0], r.GetInt64(1), r.GetBoolean(2)), cancellationToken, parameters).ConfigureAwait(false))
                .Select(r => new StoredKeyset(KeysetAnnouncement.Decode(r.Item1), (ulong)r.Item2, r.Item3)).ToList());
}
