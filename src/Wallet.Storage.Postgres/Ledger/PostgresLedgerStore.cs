using System.Collections.Concurrent;
using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;

namespace Wallet.Storage.Postgres.Ledger;

/// <summary>
/// The ledger store for a scheme that outgrows one machine: PostgreSQL through Npgsql, one transaction per
/// ledger operation, the spent-coin set partitioned by keyset, and a versioned schema migrated at open.
/// </summary>
/// <remarks>
/// <para>
/// Writers run at READ COMMITTED and first lock the single <c>ledger_head</c> row (<c>SELECT … FOR UPDATE</c>).
/// The journal is a hash chain, so there is exactly one writer at a time across every process and node that
/// uses the database; after the lock each statement sees every earlier writer's commit, so the ledger's
/// checks (balance, spent set, idempotency key) cannot race. SERIALIZABLE would add predicate locks and
/// serialization failures without protecting anything more, because writers never overlap. The primary key
/// <c>(coin_id, keyset_id)</c> of the spent-coin set remains the backstop: an entry that spends a recorded
/// coin fails the whole transaction. docs/scaling.md argues the choice and its throughput.
/// </para>
/// <para>
/// A failure of the server or the connection surfaces as <see cref="LedgerStoreException"/> with nothing
/// applied unless the commit completed; the caller retries with the same idempotency key, which returns the
/// stored outcome if the commit did complete, so a retry never has a second effect.
/// </para>
/// <para>
/// Round trips are the cost on a busy node. <see cref="BeginOptimisticWriteAsync"/> makes a ledger operation
/// one round trip: its reads come from this process's last commit, and the commit checks them all in the
/// batch that writes. When that fails, the locking path keeps statements together where the contract allows:
/// the head lock with the first read, the outcome with the COMMIT, cached balances while the locked head
/// shows nobody has written since (a deposit of a batch is four round trips). docs/scaling.md, "Round trips".
/// </para>
/// <para>
/// The spent-coin set is <c>PARTITION BY LIST (keyset_id)</c>; a keyset's partition is created, in the same
/// transaction, by the first entry that mentions the keyset. <see cref="ArchiveKeysetAsync"/> detaches the
/// partition of an expired keyset so the live index stays bounded however long the scheme runs.
/// </para>
/// </remarks>
public sealed class PostgresLedgerStore : IOptimisticLedgerStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ConcurrentDictionary<KeysetId, bool> _livePartitions = new();
    private readonly MaterializedStateCache _cache = new();
    private bool _disposed;

    private PostgresLedgerStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    /// <summary>The schema version this library writes.</summary>
    public static int SchemaVersion => PostgresLedgerSchema.LatestVersion;

    /// <summary>
    /// Connects to a database and migrates the ledger schema (in the first schema of the connection's search
    /// path) to <see cref="SchemaVersion"/>.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string; <c>Search Path</c> selects the schema.</param>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>The store; dispose it to close its connection pool.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or malformed.</exception>
    /// <exception cref="LedgerStoreException">The server cannot be reached or the schema is from a newer version.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<PostgresLedgerStore> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        cancellationToken.ThrowIfCancellationRequested();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // The store never changes session state (the search path comes from the connection string), so a
        // pooled connection needs no reset on return. Statements are prepared once used twice (parse and
        // analysis skipped), but planned on every execution: generic plans over the partitioned spent set made
        // the deposit path 3-4x slower when tried (docs/scaling.md). A Max Auto Prepare in the string wins.
        builder.NoResetOnClose = true;
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        builder.Options = string.IsNullOrWhiteSpace(builder.Options)
            ? "-c plan_cache_mode=force_custom_plan"
            : "-c plan_cache_mode=force_custom_plan " + builder.Options;

        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            {
                await PostgresLedgerSchema.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            return new PostgresLedgerStore(dataSource);
        }
        catch (NpgsqlException ex)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new LedgerStoreException($"Cannot open the ledger database: {ex.Message}", ex);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The name of the table that holds (or, once archived, held) a keyset's spent coins.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <returns><c>spent_coins_</c> followed by the hex of the keyset id's first 20 bytes (within PostgreSQL's 63-byte identifier limit).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is <see langword="null"/>.</exception>
    public static string PartitionTableName(KeysetId keyset)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        return "spent_coins_" + Convert.ToHexStringLower(keyset.Bytes[..20]);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Only takes a pooled connection: <c>BEGIN</c> and the head-row lock travel with the transaction's first
    /// statement (in <see cref="SchemeLedger"/>, the idempotency lookup), so the wait for another writer happens
    /// there, under that call's cancellation token. docs/scaling.md counts the round trips.
    /// </remarks>
    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return new WriteTransaction(this, connection, null);
        }
        catch (NpgsqlException ex)
        {
            throw Wrap(ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Runs from this process's cache of the head, balances and keyset counters it last committed; nothing is
    /// sent until <see cref="ILedgerWriteTransaction.CommitAsync"/>, which sends BEGIN, a check that the head
    /// row still holds that head (taking the writer lock), every write, the outcome and COMMIT as one batch. A
    /// stored outcome, an already spent coin or an archived keyset makes a unique or partition constraint
    /// refuse the batch, a moved head makes <c>ledger_expect_head</c> refuse it; each is reported as
    /// <see cref="LedgerWriteConflictException"/> with nothing written. docs/scaling.md, "Round trips".
    /// </remarks>
    public async ValueTask<ILedgerWriteTransaction> BeginOptimisticWriteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var head = _cache.Head ?? throw new LedgerWriteConflictException("This process has not committed a ledger write since its cache was last cleared.");
        try
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return new WriteTransaction(this, connection, head);
        }
        catch (NpgsqlException ex)
        {
            throw Wrap(ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

            // One snapshot for every statement of the read, as the interface promises.
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return new ReadTransaction(connection, transaction);
        }
        catch (NpgsqlException ex)
        {
            await DisposeQuietlyAsync(connection).ConfigureAwait(false);
            throw Wrap(ex);
        }
        catch
        {
            await DisposeQuietlyAsync(connection).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Rewrites the materialised balances and keyset counters by streaming the journal (the journal is the
    /// truth; the tables are a cache of its fold). Memory grows with the number of accounts, not entries.
    /// </summary>
    /// <param name="cancellationToken">Cancels the rebuild; nothing is changed unless it completes.</param>
    /// <returns>The number of entries folded.</returns>
    /// <exception cref="LedgerStoreException">The store failed or a journal entry does not decode.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<long> RebuildMaterializedStateAsync(CancellationToken cancellationToken = default)
    {
        await using var tx = (WriteTransaction)await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var balances = new Dictionary<LedgerAccount, long>();
        var keysets = new Dictionary<KeysetId, KeysetTotals>();
        long count = 0;
        await foreach (var entry in tx.ReadJournalAsync(1, cancellationToken).ConfigureAwait(false))
        {
            foreach (var posting in entry.Postings)
            {
                balances[posting.Account] = checked(balances.GetValueOrDefault(posting.Account) + posting.Delta);
            }

            foreach (var effect in entry.KeysetEffects)
            {
                keysets[effect.Keyset] = (keysets.TryGetValue(effect.Keyset, out var t) ? t : KeysetTotals.Empty(effect.Keyset)).Apply(effect);
            }

            count++;
        }

        await tx.ReplaceMaterializedAsync(balances, keysets.Values, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>
    /// Detaches an expired keyset's spent-coin partition from the live set. The detached table keeps its
    /// rows (named by <see cref="PartitionTableName"/>) for audit, export (<c>pg_dump -t</c>) or dropping;
    /// afterwards the store refuses any entry that spends a coin of the keyset, and
    /// <see cref="ILedgerReadTransaction.FindSpentAsync(CoinId, CancellationToken)"/> no longer sees its coins.
    /// </summary>
    /// <param name="keyset">The keyset, already expired in the ledger (<see cref="SchemeLedger.ExpireAsync"/>).</param>
    /// <param name="cancellationToken">Cancels the wait for the writer lock.</param>
    /// <returns>What was done; only <see cref="KeysetArchiveStatus.Archived"/> changes anything.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is <see langword="null"/>.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing changed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>docs/scaling.md, "The spent set, partitioned by keyset, and archiving closed keysets".</remarks>
    public async Task<KeysetArchiveStatus> ArchiveKeysetAsync(KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        await using var tx = (WriteTransaction)await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var status = await tx.ArchiveAsync(keyset, cancellationToken).ConfigureAwait(false);
        if (status == KeysetArchiveStatus.Archived)
        {
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        _livePartitions.TryRemove(keyset, out _);
        return status;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private static LedgerStoreException Wrap(NpgsqlException ex) => new($"The ledger database failed: {ex.Message}", ex);

    private static async ValueTask DisposeQuietlyAsync(NpgsqlConnection? connection)
    {
        if (connection is not null)
        {
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection is already broken; the pool discards it.
            }
        }
    }

    private static EntryHash ReadHash(byte[] bytes) =>
        bytes.Length == EntryHash.Genesis.Bytes.Length ? new EntryHash(bytes) : throw new LedgerStoreException("A stored entry hash is malformed.");

    private class ReadTransaction(NpgsqlConnection connection, NpgsqlTransaction? transaction) : ILedgerReadTransaction
    {
        protected NpgsqlConnection Connection => connection;

        protected NpgsqlTransaction? Transaction => transaction;

        public virtual async ValueTask<JournalHead> GetHeadAsync(CancellationToken cancellationToken)
        {
            try
            {
                await ReadyAsync(cancellationToken).ConfigureAwait(false);
                await using var command = Command("SELECT seq, hash FROM ledger_head");
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new JournalHead(reader.GetInt64(0), ReadHash(reader.GetFieldValue<byte[]>(1)))
                    : throw new LedgerStoreException("The ledger head row is missing.");
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        public virtual async ValueTask<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(account);
            try
            {
                await ReadyAsync(cancellationToken).ConfigureAwait(false);
                await using var command = Command("SELECT balance FROM balances WHERE kind = $1 AND key = $2", (short)account.Kind, account.Key);
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long balance ? balance : 0L;
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        public virtual async ValueTask<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(keyset);
            try
            {
                await ReadyAsync(cancellationToken).ConfigureAwait(false);
                await using var command = Command("SELECT keyset_id, issued, deposited, swapped_in, expired, is_expired FROM keysets WHERE keyset_id = $1", keyset.Bytes.ToArray());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTotals(reader) : KeysetTotals.Empty(keyset);
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        public virtual async ValueTask<IdempotencyRecord?> FindOutcomeAsync(IdempotencyKey key, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(key);
            try
            {
                await ReadyAsync(cancellationToken).ConfigureAwait(false);
                await using var command = Command(FindOutcomeSql, key.Value);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await ReadOutcomeAsync(reader, key, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        protected const string FindOutcomeSql = "SELECT request_hash, status, entry_seq, conflicts FROM outcomes WHERE idempotency_key = $1";

        protected static async Task<IdempotencyRecord?> ReadOutcomeAsync(NpgsqlDataReader reader, IdempotencyKey key, CancellationToken cancellationToken)
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            short status = reader.GetInt16(1);
            if (!Enum.IsDefined((LedgerStatus)status) || !CoinConflict.TryDecodeList(reader.GetFieldValue<byte[]>(3), out var conflicts))
            {
                throw new LedgerStoreException($"The stored outcome of '{key}' is malformed.");
            }

            return new IdempotencyRecord(key, reader.GetFieldValue<byte[]>(0), (LedgerStatus)status, reader.IsDBNull(2) ? null : reader.GetInt64(2), conflicts);
        }

        /// <summary>Runs before every statement; a write transaction takes its head lock here if it has not yet.</summary>
        protected virtual ValueTask ReadyAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        private async Task<bool> ReadyForStreamAsync(CancellationToken cancellationToken)
        {
            await ReadyAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        private static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        private async Task<List<string>> ArchivedTablesAsync(CancellationToken cancellationToken)
        {
            var tables = new List<string>();
            await ReadyAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command("SELECT table_name FROM keyset_partitions WHERE archived ORDER BY table_name");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }

            return tables;
        }

        public async ValueTask<long> CountSpentCoinsAsync(CancellationToken cancellationToken)
        {
            try
            {
                long total;
                await ReadyAsync(cancellationToken).ConfigureAwait(false);
                await using (var command = Command("SELECT count(*) FROM spent_coins"))
                {
                    total = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long count ? count : 0L;
                }

                // Archived keysets' coins are still spent coins of the journal.
                foreach (string table in await ArchivedTablesAsync(cancellationToken).ConfigureAwait(false))
                {
                    await using var archived = Command($"SELECT count(*) FROM {QuoteIdentifier(table)}");
                    total += await archived.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long count ? count : 0L;
                }

                return total;
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        public async ValueTask<long> CountEntryOutcomesAsync(CancellationToken cancellationToken)
        {
            try
            {
                await ReadyAsync(cancellationToken).ConfigureAwait(false);
                await using var command = Command("SELECT count(*) FROM outcomes WHERE entry_seq IS NOT NULL");
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long count ? count : 0L;
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        public async ValueTask<long?> FindSpentAsync(CoinId coin, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(coin);
            try
            {
                await ReadyAsync(cancellationToken).ConfigureAwait(false);
                await using (var command = Command("SELECT min(entry_seq) FROM spent_coins WHERE coin_id = $1", coin.Bytes.ToArray()))
                {
                    if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long seq)
                    {
                        return seq;
                    }
                }

                // Not in the live set: it may belong to an archived keyset, whose detached table still answers (this is
                // what verification and audit ask). The batch lookup on the deposit path stays on the live set: an
                // archived keyset is expired, and the ledger refuses its deposits before looking coins up.
                foreach (string table in await ArchivedTablesAsync(cancellationToken).ConfigureAwait(false))
                {
                    await using var archived = Command($"SELECT min(entry_seq) FROM {QuoteIdentifier(table)} WHERE coin_id = $1", coin.Bytes.ToArray());
                    if (await archived.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long seq)
                    {
                        return seq;
                    }
                }

                return null;
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        public virtual async ValueTask<IReadOnlyDictionary<CoinId, long>> FindSpentAsync(IReadOnlyCollection<CoinId> coins, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(coins);
            var found = new Dictionary<CoinId, long>();
            if (coins.Count == 0)
            {
                return found;
            }

            try
            {
                await ReadyAsync(cancellationToken).ConfigureAwait(false);
                await using var command = Command("SELECT coin_id, min(entry_seq) FROM spent_coins WHERE coin_id = ANY($1) GROUP BY coin_id");
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = coins.Select(c => c.Bytes.ToArray()).ToArray() });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    byte[] id = reader.GetFieldValue<byte[]>(0);
                    if (id.Length != CoinId.Length)
                    {
                        throw new LedgerStoreException("A stored coin id is malformed.");
                    }

                    found[new CoinId(id)] = reader.GetInt64(1);
                }

                return found;
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        public async ValueTask<JournalEntry?> GetEntryAsync(long sequence, CancellationToken cancellationToken)
        {
            try
            {
                await ReadyAsync(cancellationToken).ConfigureAwait(false);
                await using var command = Command("SELECT body FROM journal WHERE seq = $1", sequence);
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] body ? Decode(body) : null;
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        public async IAsyncEnumerable<JournalEntry> ReadJournalAsync(long fromSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            // Pages of a bounded size: the journal is never held in memory, and no reader stays open while the caller
            // consumes an entry, so the caller may run its own lookups on this transaction's connection meanwhile
            // (Npgsql allows one command in progress per connection; VerifyAsync looks up each entry's coins).
            const int PageSize = 1000;
            long next = fromSequence;
            await Guard(() => ReadyForStreamAsync(cancellationToken)).ConfigureAwait(false);
            while (true)
            {
                var page = new List<JournalEntry>(PageSize);
                await using (var command = Command("SELECT body FROM journal WHERE seq >= $1 ORDER BY seq LIMIT " + PageSize, next))
                await using (var reader = await Guard(() => command.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false))
                {
                    while (await Guard(() => reader.ReadAsync(cancellationToken)).ConfigureAwait(false))
                    {
                        page.Add(Decode(reader.GetFieldValue<byte[]>(0)));
                    }
                }

                foreach (var entry in page)
                {
                    yield return entry;
                }

                if (page.Count < PageSize)
                {
                    yield break;
                }

                next = page[^1].Sequence + 1;
            }
        }

        public async IAsyncEnumerable<AccountBalance> ReadBalancesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Guard(() => ReadyForStreamAsync(cancellationToken)).ConfigureAwait(false);

            // COLLATE "C" orders keys by code point, as LedgerAccount compares them, whatever the database locale.
            await using var command = Command("SELECT kind, key, balance FROM balances WHERE balance <> 0 ORDER BY kind, key COLLATE \"C\"");
            await using var reader = await Guard(() => command.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
            while (await Guard(() => reader.ReadAsync(cancellationToken)).ConfigureAwait(false))
            {
                short kind = reader.GetInt16(0);
                if (kind is < 0 or > 255 || !LedgerAccount.TryCreate((LedgerAccountKind)kind, reader.GetString(1), out var account))
                {
                    throw new LedgerStoreException("A stored balance names an invalid account.");
                }

                yield return new AccountBalance(account, reader.GetInt64(2));
            }
        }

        public async IAsyncEnumerable<KeysetTotals> ReadKeysetsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Guard(() => ReadyForStreamAsync(cancellationToken)).ConfigureAwait(false);
            await using var command = Command("SELECT keyset_id, issued, deposited, swapped_in, expired, is_expired FROM keysets ORDER BY keyset_id");
            await using var reader = await Guard(() => command.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
            while (await Guard(() => reader.ReadAsync(cancellationToken)).ConfigureAwait(false))
            {
                yield return ReadTotals(reader);
            }
        }

        public virtual async ValueTask DisposeAsync()
        {
            try
            {
                if (transaction is not null)
                {
                    await transaction.DisposeAsync().ConfigureAwait(false);
                }
            }
            catch (NpgsqlException)
            {
                // A broken connection has no transaction left to roll back.
            }

            await DisposeQuietlyAsync(connection).ConfigureAwait(false);
        }

        protected NpgsqlCommand Command(string sql, params object[] parameters)
        {
            BeforeServerStatement();
            var command = new NpgsqlCommand(sql, connection, transaction);
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            return command;
        }

        /// <summary>Runs before a statement is sent; an optimistic transaction refuses, having nobody to ask.</summary>
        protected virtual void BeforeServerStatement()
        {
        }

        /// <summary>Turns a server failure into the store's exception; a write transaction also remembers it.</summary>
        protected virtual LedgerStoreException Fail(NpgsqlException ex) => Wrap(ex);

        protected async Task<T> Guard<T>(Func<Task<T>> action)
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        private static JournalEntry Decode(byte[] body) =>
            JournalEntry.TryDecode(body, out var entry) ? entry : throw new LedgerStoreException("A stored journal entry does not decode.");

        protected static KeysetTotals ReadTotals(NpgsqlDataReader reader)
        {
            byte[] id = reader.GetFieldValue<byte[]>(0);
            if (id.Length != KeysetId.Length)
            {
                throw new LedgerStoreException("A stored keyset id is malformed.");
            }

            try
            {
                return new KeysetTotals(
                    new KeysetId(id),
                    Amount.FromMinorUnits(reader.GetInt64(1)),
                    Amount.FromMinorUnits(reader.GetInt64(2)),
                    Amount.FromMinorUnits(reader.GetInt64(3)),
                    Amount.FromMinorUnits(reader.GetInt64(4)),
                    reader.GetBoolean(5));
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new LedgerStoreException("Stored keyset counters are negative.", ex);
            }
        }
    }

    // optimisticHead: null for a locking transaction; otherwise the cached head an optimistic one starts from.
    private sealed class WriteTransaction(PostgresLedgerStore store, NpgsqlConnection connection, JournalHead? optimisticHead)
        : ReadTransaction(connection, null), ILedgerWriteTransaction
    {
        private const string UniqueViolation = "23505";
        private const string NoPartitionForRow = "23514";
        private const string HeadMoved = "WCL01";

        // An optimistic transaction's writes, sent with the COMMIT; and the assumptions the commit must check.
        private readonly List<NpgsqlBatchCommand> _deferred = [];
        private readonly HashSet<IdempotencyKey> _assumedAbsent = [];
        private readonly HashSet<CoinId> _assumedUnspent = [];
        private readonly HashSet<CoinId> _appendedCoins = [];

        private readonly List<KeysetId> _createdPartitions = [];
        private readonly Dictionary<LedgerAccount, long> _balances = [];
        private readonly Dictionary<KeysetId, KeysetTotals> _keysets = [];
        private readonly List<IdempotencyRecord> _outcomes = [];

        // Materialised values this transaction's entries changed without it knowing their new value.
        private readonly HashSet<LedgerAccount> _staleAccounts = [];
        private readonly HashSet<KeysetId> _staleKeysets = [];

        // The head locked at the start, against which the store's cache is valid; null until locked.
        private JournalHead? _startHead;

        // A rebuild or archive changed state outside entries: the store's cache is cleared, not updated.
        private bool _invalidatesCache;

        // Null until the first statement has begun the transaction and locked the head row.
        private JournalHead? _head;

        // A BEGIN has been sent, so the connection may be inside a transaction that disposal must roll back.
        private bool _begun;
        private bool _finished;

        // PostgreSQL aborts a transaction at its first failed statement and turns a later COMMIT into a rollback
        // without an error; refuse the commit explicitly so a caller can never believe a failed write was kept.
        private bool _failed;

        // A failed statement aborts the whole PostgreSQL transaction, reads included.
        protected override LedgerStoreException Fail(NpgsqlException ex)
        {
            _failed = true;
            return base.Fail(ex);
        }

        // The head row is locked by this transaction, so its cached copy is exact.
        public override async ValueTask<JournalHead> GetHeadAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await ReadyAsync(cancellationToken).ConfigureAwait(false);
            return _head!;
        }

        // The ledger reads an account's balance to decide and again to check for overflow; under the head
        // lock nobody else writes, so the first read stays exact until this transaction appends.
        public override async ValueTask<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(account);
            if (_balances.TryGetValue(account, out long balance))
            {
                return balance;
            }

            await ReadyAsync(cancellationToken).ConfigureAwait(false);
            if (_staleAccounts.Contains(account) || !store._cache.TryGetBalance(_startHead!, account, out balance))
            {
                balance = optimisticHead is null
                    ? await base.GetBalanceAsync(account, cancellationToken).ConfigureAwait(false)
                    : await ReadBalanceAtStartHeadAsync(account, cancellationToken).ConfigureAwait(false);
            }

            _balances[account] = balance;
            return balance;
        }

        // An account new to this process (a worker's first contribution): one unlocked statement reads the
        // balance and the head from one snapshot. If that head is the one this transaction started from, the
        // balance is exact there, and the commit's head check covers it like every cached value.
        private async Task<long> ReadBalanceAtStartHeadAsync(LedgerAccount account, CancellationToken cancellationToken)
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT h.seq, h.hash, b.balance FROM ledger_head h LEFT JOIN balances b ON b.kind = $1 AND b.key = $2", Connection);
                command.Parameters.Add(new NpgsqlParameter { Value = (short)account.Kind });
                command.Parameters.Add(new NpgsqlParameter { Value = account.Key });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new LedgerStoreException("The ledger head row is missing.");
                }

                var head = new JournalHead(reader.GetInt64(0), ReadHash(reader.GetFieldValue<byte[]>(1)));
                return head == _startHead
                    ? (reader.IsDBNull(2) ? 0L : reader.GetInt64(2))
                    : throw new LedgerWriteConflictException("Another writer committed since this process last did.");
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        // Cached like balances. A keyset's outstanding balance comes in the same round trip: every ledger
        // operation that reads a keyset's counters (withdraw, deposit, swap, expire) reads that balance next.
        public override async ValueTask<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(keyset);
            if (_keysets.TryGetValue(keyset, out var cached))
            {
                return cached;
            }

            var outstanding = LedgerAccount.Outstanding(keyset);
            try
            {
                await ReadyAsync(cancellationToken).ConfigureAwait(false);
                if (!_staleKeysets.Contains(keyset) && store._cache.TryGetKeyset(_startHead!, keyset, out cached))
                {
                    _keysets[keyset] = cached!;
                    return cached!;
                }

                RequireServer("the counters of a keyset it has not seen");

                await using var batch = new NpgsqlBatch(Connection);
                batch.BatchCommands.Add(BatchCommand("SELECT keyset_id, issued, deposited, swapped_in, expired, is_expired FROM keysets WHERE keyset_id = $1", keyset.Bytes.ToArray()));
                batch.BatchCommands.Add(BatchCommand("SELECT balance FROM balances WHERE kind = $1 AND key = $2", (short)outstanding.Kind, outstanding.Key));
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var totals = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTotals(reader) : KeysetTotals.Empty(keyset);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                long balance = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt64(0) : 0L;
                _keysets[keyset] = totals;
                _balances.TryAdd(outstanding, balance);
                return totals;
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        // The first statement of a ledger operation: BEGIN, the head lock and the lookup travel as one batch.
        public override async ValueTask<IdempotencyRecord?> FindOutcomeAsync(IdempotencyKey key, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(key);
            if (optimisticHead is not null)
            {
                // Checked by the outcomes primary key when the commit inserts this key's outcome.
                ObjectDisposedException.ThrowIf(_finished, this);
                await ReadyAsync(cancellationToken).ConfigureAwait(false);
                _assumedAbsent.Add(key);
                return null;
            }

            if (_head is not null)
            {
                return await base.FindOutcomeAsync(key, cancellationToken).ConfigureAwait(false);
            }

            ObjectDisposedException.ThrowIf(_finished, this);
            try
            {
                await using var batch = new NpgsqlBatch(Connection);
                AddBeginAndLock(batch);
                batch.BatchCommands.Add(BatchCommand(FindOutcomeSql, key.Value));
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await ReadLockedHeadAsync(reader, cancellationToken).ConfigureAwait(false);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                return await ReadOutcomeAsync(reader, key, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
            catch (OperationCanceledException)
            {
                _failed = true;
                throw;
            }
        }

        protected override async ValueTask ReadyAsync(CancellationToken cancellationToken)
        {
            if (_head is not null)
            {
                return;
            }

            ObjectDisposedException.ThrowIf(_finished, this);
            if (optimisticHead is not null)
            {
                _head = optimisticHead;
                _startHead = optimisticHead;
                return;
            }
            try
            {
                await using var batch = new NpgsqlBatch(Connection);
                AddBeginAndLock(batch);
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await ReadLockedHeadAsync(reader, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
            catch (OperationCanceledException)
            {
                _failed = true;
                throw;
            }
        }

        private void AddBeginAndLock(NpgsqlBatch batch)
        {
            _begun = true;

            // Run as SQL rather than through NpgsqlTransaction so that COMMIT can travel with the last write.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL READ COMMITTED"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT seq, hash FROM ledger_head FOR UPDATE"));
        }

        private async Task ReadLockedHeadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new LedgerStoreException("The ledger head row is missing.");
            }

            _head = new JournalHead(reader.GetInt64(0), ReadHash(reader.GetFieldValue<byte[]>(1)));
            _startHead = _head;
        }

        public async ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            try
            {
                await AppendCoreAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _failed = true;
                throw;
            }
        }

        // Held until CommitAsync, which sends it with the COMMIT: one round trip for both. A key already used
        // fails the commit instead (LedgerStoreException), and nothing is kept.
        public ValueTask RecordOutcomeAsync(IdempotencyRecord record, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(record);
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_finished, this);
            _outcomes.Add(record);
            return ValueTask.CompletedTask;
        }

        private async ValueTask AppendCoreAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(entry);
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_finished, this);
            var head = await GetHeadAsync(cancellationToken).ConfigureAwait(false);
            if (entry.Sequence != head.Sequence + 1 || entry.PreviousHash != head.Hash)
            {
                throw new LedgerStoreException($"Entry {entry.Sequence} does not chain to the journal head (entry {head.Sequence}).");
            }

            try
            {
                var spentKeysets = entry.SpentCoins.Select(c => c.Keyset).ToHashSet();
                foreach (var keyset in entry.KeysetEffects.Select(e => e.Keyset).Concat(spentKeysets).Distinct())
                {
                    await EnsurePartitionAsync(keyset, spentKeysets.Contains(keyset), cancellationToken).ConfigureAwait(false);
                }

                var commands = new List<NpgsqlBatchCommand>();
                commands.Add(BatchCommand(
                    "INSERT INTO journal (seq, idempotency_key, hash, body) VALUES ($1, $2, $3, $4)",
                    entry.Sequence, entry.IdempotencyKey.Value, entry.Hash.Bytes.ToArray(), entry.Encode()));
                commands.Add(BatchCommand("UPDATE ledger_head SET seq = $1, hash = $2", entry.Sequence, entry.Hash.Bytes.ToArray()));
                if (entry.SpentCoins.Count > 0)
                {
                    commands.Add(BatchCommand(
                        "INSERT INTO spent_coins (coin_id, keyset_id, amount, entry_seq) SELECT c, k, a, $4 FROM unnest($1::bytea[], $2::bytea[], $3::bigint[]) AS t(c, k, a)",
                        entry.SpentCoins.Select(c => c.Coin.Bytes.ToArray()).ToArray(),
                        entry.SpentCoins.Select(c => c.Keyset.Bytes.ToArray()).ToArray(),
                        entry.SpentCoins.Select(c => c.Value.MinorUnits).ToArray(),
                        entry.Sequence));
                }

                // Summed per account first: one upsert statement may not touch the same row twice.
                var postings = entry.Postings.GroupBy(p => p.Account).Select(g => (Account: g.Key, Delta: g.Sum(p => p.Delta))).ToArray();
                if (postings.Length > 0)
                {
                    commands.Add(UpsertBalances(postings));
                }

                var effects = entry.KeysetEffects.GroupBy(e => e.Keyset).Select(g => g.Aggregate(KeysetTotals.Empty(g.Key), (t, e) => t.Apply(e))).ToArray();
                if (effects.Length > 0)
                {
                    commands.Add(BatchCommand(
                        """
                        INSERT INTO keysets (keyset_id, issued, deposited, swapped_in, expired, is_expired)
                        SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::boolean[])
                        ON CONFLICT (keyset_id) DO UPDATE SET
                            issued = keysets.issued + excluded.issued,
                            deposited = keysets.deposited + excluded.deposited,
                            swapped_in = keysets.swapped_in + excluded.swapped_in,
                            expired = keysets.expired + excluded.expired,
                            is_expired = keysets.is_expired OR excluded.is_expired
                        """,
                        effects.Select(e => e.Keyset.Bytes.ToArray()).ToArray(),
                        effects.Select(e => e.Issued.MinorUnits).ToArray(),
                        effects.Select(e => e.Deposited.MinorUnits).ToArray(),
                        effects.Select(e => e.SwappedIn.MinorUnits).ToArray(),
                        effects.Select(e => e.Expired.MinorUnits).ToArray(),
                        effects.Select(e => e.IsExpired).ToArray()));
                }

                if (optimisticHead is null)
                {
                    await using var batch = new NpgsqlBatch(Connection);
                    foreach (var command in commands)
                    {
                        batch.BatchCommands.Add(command);
                    }

                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // Sent with the COMMIT, which checks what this transaction assumed.
                    _deferred.AddRange(commands);
                    _appendedCoins.UnionWith(entry.SpentCoins.Select(c => c.Coin));
                }

                _head = new JournalHead(entry.Sequence, entry.Hash);
                Track(postings, effects);
            }
            catch (PostgresException ex) when (ex.SqlState == UniqueViolation && ex.TableName?.StartsWith("spent_coins", StringComparison.Ordinal) == true)
            {
                throw new LedgerStoreException($"Entry {entry.Sequence} spends a coin already recorded spent.", ex);
            }
            catch (PostgresException ex) when (ex.SqlState == NoPartitionForRow)
            {
                throw new LedgerStoreException($"Entry {entry.Sequence} spends a coin of a keyset whose spent set is archived.", ex);
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        public async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            if (_failed)
            {
                throw new LedgerStoreException("An earlier write in this transaction failed; it can only roll back.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_finished, this);
            if (optimisticHead is not null)
            {
                CheckAssumptionsAreWritten();
            }

            try
            {
                await using var batch = new NpgsqlBatch(Connection);
                if (optimisticHead is not null)
                {
                    _begun = true;
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL READ COMMITTED"));
                    batch.BatchCommands.Add(BatchCommand("SELECT ledger_expect_head($1, $2)", optimisticHead.Sequence, optimisticHead.Hash.Bytes.ToArray()));
                    foreach (var command in _deferred)
                    {
                        batch.BatchCommands.Add(command);
                    }

                    _deferred.Clear();
                }
                else if (_head is null)
                {
                    // Nothing has run yet: the outcomes still go in under the writer lock.
                    AddBeginAndLock(batch);
                }

                foreach (var record in _outcomes)
                {
                    batch.BatchCommands.Add(BatchCommand(
                        "INSERT INTO outcomes (idempotency_key, request_hash, status, entry_seq, conflicts) VALUES ($1, $2, $3, $4, $5)",
                        record.Key.Value, record.RequestHash.ToArray(), (short)record.Status, record.EntrySequence is long s ? s : DBNull.Value, CoinConflict.EncodeList(record.Conflicts)));
                }

                batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));

                // Not cancellable once started: the outcome of an interrupted COMMIT is unknowable from here.
                await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                _finished = true;
            }
            catch (PostgresException ex) when (optimisticHead is not null && IsConflict(ex))
            {
                // The server refused a statement before COMMIT ran, so nothing was kept; the cache is still exact
                // at its own head (a moved head only means it is not this transaction's).
                _failed = true;
                throw new LedgerWriteConflictException(ConflictMessage(ex), ex);
            }
            catch (PostgresException ex) when (ex.SqlState == UniqueViolation && ex.TableName == "outcomes")
            {
                _failed = true;
                store._cache.Clear();
                throw new LedgerStoreException($"An outcome is already stored under '{string.Join("', '", _outcomes.Select(o => o.Key))}'.", ex);
            }
            catch (NpgsqlException ex)
            {
                // Whether the commit landed is unknowable: forget what this process believed.
                _failed = true;
                store._cache.Clear();
                throw Fail(ex);
            }

            if (_invalidatesCache || _startHead is null || _head is null)
            {
                store._cache.Clear();
            }
            else
            {
                store._cache.Publish(_startHead, _head, _balances, _keysets, _staleAccounts, _staleKeysets);
            }

            foreach (var keyset in _createdPartitions)
            {
                store._livePartitions[keyset] = true;
            }
        }

        internal async Task<KeysetArchiveStatus> ArchiveAsync(KeysetId keyset, CancellationToken cancellationToken)
        {
            try
            {
                await ReadyAsync(cancellationToken).ConfigureAwait(false);
                _invalidatesCache = true;
                string? table = null;
                bool archived = false;
                await using (var find = Command("SELECT table_name, archived FROM keyset_partitions WHERE keyset_id = $1", keyset.Bytes.ToArray()))
                await using (var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        table = reader.GetString(0);
                        archived = reader.GetBoolean(1);
                    }
                }

                if (table is null)
                {
                    return KeysetArchiveStatus.UnknownKeyset;
                }

                if (archived)
                {
                    return KeysetArchiveStatus.AlreadyArchived;
                }

                if (!(await GetKeysetAsync(keyset, cancellationToken).ConfigureAwait(false)).IsExpired)
                {
                    return KeysetArchiveStatus.NotExpired;
                }

                await using var batch = new NpgsqlBatch(Connection);
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"ALTER TABLE spent_coins DETACH PARTITION {Quote(table)}"));
                batch.BatchCommands.Add(BatchCommand("UPDATE keyset_partitions SET archived = true WHERE keyset_id = $1", keyset.Bytes.ToArray()));
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return KeysetArchiveStatus.Archived;
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        internal async Task ReplaceMaterializedAsync(Dictionary<LedgerAccount, long> balances, IEnumerable<KeysetTotals> keysets, CancellationToken cancellationToken)
        {
            var totals = keysets.ToArray();
            _balances.Clear();
            _keysets.Clear();
            _invalidatesCache = true;
            try
            {
                await using var batch = new NpgsqlBatch(Connection);
                batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM balances"));
                batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM keysets"));
                if (balances.Count > 0)
                {
                    batch.BatchCommands.Add(UpsertBalances([.. balances.Select(b => (b.Key, b.Value))]));
                }

                batch.BatchCommands.Add(BatchCommand(
                    "INSERT INTO keysets (keyset_id, issued, deposited, swapped_in, expired, is_expired) SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::boolean[])",
                    totals.Select(e => e.Keyset.Bytes.ToArray()).ToArray(),
                    totals.Select(e => e.Issued.MinorUnits).ToArray(),
                    totals.Select(e => e.Deposited.MinorUnits).ToArray(),
                    totals.Select(e => e.SwappedIn.MinorUnits).ToArray(),
                    totals.Select(e => e.Expired.MinorUnits).ToArray(),
                    totals.Select(e => e.IsExpired).ToArray()));
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException ex)
            {
                throw Fail(ex);
            }
        }

        public override async ValueTask DisposeAsync()
        {
            bool open = _begun && !_finished;
            _finished = true;
            if (open && Connection.State == ConnectionState.Open)
            {
                try
                {
                    await using var rollback = new NpgsqlCommand("ROLLBACK", Connection);
                    await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (NpgsqlException)
                {
                    // A broken connection has no transaction left to roll back; the pool discards it.
                }
            }

            await base.DisposeAsync().ConfigureAwait(false);
        }

        public override async ValueTask<IReadOnlyDictionary<CoinId, long>> FindSpentAsync(IReadOnlyCollection<CoinId> coins, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(coins);
            if (optimisticHead is null)
            {
                return await base.FindSpentAsync(coins, cancellationToken).ConfigureAwait(false);
            }

            // Checked by the spent set's primary key when the commit inserts these coins.
            ObjectDisposedException.ThrowIf(_finished, this);
            await ReadyAsync(cancellationToken).ConfigureAwait(false);
            _assumedUnspent.UnionWith(coins);
            return new Dictionary<CoinId, long>();
        }

        protected override void BeforeServerStatement() => RequireServer("a lookup it cannot answer from its cache");

        private void RequireServer(string what)
        {
            if (optimisticHead is not null)
            {
                throw new LedgerWriteConflictException($"An optimistic transaction needs the server for {what}.");
            }
        }

        // The assumptions only the writes can check must be written, or the commit would keep a decision
        // nobody verified.
        private void CheckAssumptionsAreWritten()
        {
            if (!_assumedAbsent.IsSubsetOf(_outcomes.Select(o => o.Key)))
            {
                _failed = true;
                throw new LedgerWriteConflictException("An idempotency key assumed absent has no outcome in this transaction.");
            }

            if (!_assumedUnspent.IsSubsetOf(_appendedCoins))
            {
                _failed = true;
                throw new LedgerWriteConflictException("A coin assumed unspent is not spent by this transaction.");
            }
        }

        private static bool IsConflict(PostgresException ex) =>
            ex.SqlState is HeadMoved or NoPartitionForRow
            || (ex.SqlState == UniqueViolation && (ex.TableName is "outcomes" or "journal" || ex.TableName?.StartsWith("spent_coins", StringComparison.Ordinal) == true));

        private static string ConflictMessage(PostgresException ex) => ex.SqlState switch
        {
            HeadMoved => "Another writer committed since this process last did.",
            NoPartitionForRow => "A coin belongs to a keyset whose spent set is archived.",
            _ when ex.TableName == "outcomes" || ex.TableName == "journal" => "An outcome is already stored under this idempotency key.",
            _ => "A coin of the batch is already spent.",
        };

        // Carries the known values past the entry just written, as the upserts did on the server.
        private void Track(IEnumerable<(LedgerAccount Account, long Delta)> postings, IEnumerable<KeysetTotals> effects)
        {
            foreach (var (account, delta) in postings)
            {
                if ((_balances.TryGetValue(account, out long before) || (!_staleAccounts.Contains(account) && store._cache.TryGetBalance(_startHead!, account, out before)))
                    && long.MaxValue - Math.Max(delta, 0) >= before && long.MinValue - Math.Min(delta, 0) <= before)
                {
                    _balances[account] = before + delta;
                }
                else
                {
                    _balances.Remove(account);
                    _staleAccounts.Add(account);
                }
            }

            foreach (var effect in effects)
            {
                KeysetTotals? before = null;
                if (_keysets.TryGetValue(effect.Keyset, out var known) || (!_staleKeysets.Contains(effect.Keyset) && store._cache.TryGetKeyset(_startHead!, effect.Keyset, out known)))
                {
                    before = known;
                }

                KeysetTotals? after = null;
                try
                {
                    after = before is null ? null : new KeysetTotals(
                        effect.Keyset,
                        before.Issued + effect.Issued,
                        before.Deposited + effect.Deposited,
                        before.SwappedIn + effect.SwappedIn,
                        before.Expired + effect.Expired,
                        before.IsExpired || effect.IsExpired);
                }
                catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
                {
                    after = null;
                }

                if (after is not null)
                {
                    _keysets[effect.Keyset] = after;
                }
                else
                {
                    _keysets.Remove(effect.Keyset);
                    _staleKeysets.Add(effect.Keyset);
                }
            }
        }

        private async Task EnsurePartitionAsync(KeysetId keyset, bool spends, CancellationToken cancellationToken)
        {
            if (store._livePartitions.ContainsKey(keyset) || _createdPartitions.Contains(keyset))
            {
                return;
            }

            bool? archived;
            await using (var find = Command("SELECT archived FROM keyset_partitions WHERE keyset_id = $1", keyset.Bytes.ToArray()))
            {
                archived = await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as bool?;
            }

            if (archived == true)
            {
                if (spends)
                {
                    throw new LedgerStoreException($"The spent set of keyset {keyset} is archived; its coins can no longer be deposited.");
                }

                return;
            }

            if (archived is null)
            {
                // A plain table with the partition's CHECK attached: ATTACH takes only a SHARE UPDATE EXCLUSIVE
                // lock on spent_coins and skips the validation scan, so readers are never blocked.
                string table = Quote(PartitionTableName(keyset));
                string id = $"decode('{Convert.ToHexStringLower(keyset.Bytes)}', 'hex')";
                await using var batch = new NpgsqlBatch(Connection);
                batch.BatchCommands.Add(new NpgsqlBatchCommand(
                    $"CREATE TABLE {table} (coin_id bytea NOT NULL, keyset_id bytea NOT NULL CHECK (keyset_id = {id}), amount bigint NOT NULL, entry_seq bigint NOT NULL)"));
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"ALTER TABLE spent_coins ATTACH PARTITION {table} FOR VALUES IN ({id})"));
                batch.BatchCommands.Add(BatchCommand("INSERT INTO keyset_partitions (keyset_id, table_name) VALUES ($1, $2)", keyset.Bytes.ToArray(), PartitionTableName(keyset)));
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            _createdPartitions.Add(keyset);
        }

        private static NpgsqlBatchCommand UpsertBalances(IReadOnlyList<(LedgerAccount Account, long Delta)> postings) =>
            BatchCommand(
                "INSERT INTO balances (kind, key, balance) SELECT * FROM unnest($1::smallint[], $2::text[], $3::bigint[]) ON CONFLICT (kind, key) DO UPDATE SET balance = balances.balance + excluded.balance",
                postings.Select(p => (short)p.Account.Kind).ToArray(),
                postings.Select(p => p.Account.Key).ToArray(),
                postings.Select(p => p.Delta).ToArray());

        private static NpgsqlBatchCommand BatchCommand(string sql, params object[] parameters)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            return command;
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
