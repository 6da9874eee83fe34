using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;

namespace Wallet.Storage.Sqlite.Ledger;

/// <summary>
/// The embedded ledger store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, one transaction per
/// ledger operation, a unique index on spent coin ids and a versioned schema migrated at open.
/// </summary>
/// <remarks>
/// Why these settings are safe for money is argued in docs/ledger.md ("Durability"): in WAL mode with
/// <c>synchronous=FULL</c> the WAL is fsynced at every commit, so a committed operation (whose receipt may
/// already be in a worker's or provider's hands) survives power loss, and an uncommitted one leaves no trace.
/// Writers use <c>BEGIN IMMEDIATE</c>, taking the write lock before reading, so two writers never deadlock
/// upgrading a read lock; within one process a semaphore queues them without busy-waiting. The async methods
/// run synchronously on the calling thread (Microsoft.Data.Sqlite has no asynchronous I/O): the fsync at each
/// commit and a wait of up to 30 s for another process's write lock block that thread; only the in-process
/// writer queue is awaited.
/// </remarks>
public sealed class SqliteLedgerStore : ILedgerStore, IAsyncDisposable, IDisposable
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writerGate = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private WriteTransaction? _openWrite;
    private bool _disposed;

    private SqliteLedgerStore(string connectionString, SqliteConnection writer)
    {
        _connectionString = connectionString;
        _writer = writer;
    }

    /// <summary>The database file.</summary>
    public string Path => _writer.DataSource;

    /// <summary>The schema version this library writes.</summary>
    public static int SchemaVersion => SqliteLedgerSchema.LatestVersion;

    /// <summary>Opens (creating if needed) a ledger database and migrates its schema to <see cref="SchemaVersion"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="cancellationToken">Cancels before the file is opened.</param>
    /// <returns>The store; dispose it to close the file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="LedgerStoreException">The file cannot be opened, is not a ledger database, or has a newer schema.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<SqliteLedgerStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        cancellationToken.ThrowIfCancellationRequested();
        string connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        var writer = new SqliteConnection(connectionString);
        try
        {
            writer.Open();
            Execute(writer, "PRAGMA journal_mode=WAL");
            Configure(writer);
            SqliteLedgerSchema.Migrate(writer);
            return Task.FromResult(new SqliteLedgerStore(connectionString, writer));
        }
        catch (SqliteException ex)
        {
            writer.Dispose();
            throw new LedgerStoreException($"Cannot open the ledger database: {ex.Message}", ex);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = _writer.BeginTransaction(deferred: false);
            var write = new WriteTransaction(this, transaction);
            _openWrite = write;
            return write;
        }
        catch (SqliteException ex)
        {
            _writerGate.Release();
            throw new LedgerStoreException($"Cannot begin a ledger write: {ex.Message}", ex);
        }
        catch
        {
            _writerGate.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Configure(connection);
            var transaction = connection.BeginTransaction(deferred: true);
            return ValueTask.FromResult<ILedgerReadTransaction>(new ReadTransaction(connection, transaction, ownsConnection: true, commands: null));
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new LedgerStoreException($"Cannot begin a ledger read: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Checks the journal's sequence and hash chain, then rewrites the materialised balances, keyset counters
    /// and spent-coin set by streaming the journal (the journal is the truth; the tables are a cache of its
    /// fold). Memory grows with the number of accounts and keysets, not entries. Holds the write lock for the
    /// whole replay, so every ledger operation waits until it finishes.
    /// </summary>
    /// <param name="cancellationToken">Cancels the rebuild; nothing is changed unless it completes.</param>
    /// <returns>The number of entries folded.</returns>
    /// <exception cref="LedgerStoreException">
    /// The store failed, a journal entry does not decode, the hash chain is broken, a coin is spent by two
    /// entries, or a balance or counter leaves the range of a 64-bit integer; nothing is changed.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<long> RebuildMaterializedStateAsync(CancellationToken cancellationToken = default)
    {
        await using var tx = (WriteTransaction)await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var balances = new Dictionary<LedgerAccount, long>();
        var keysets = new Dictionary<KeysetId, KeysetTotals>();
        var head = JournalHead.Empty;

        // Every statement runs in this one transaction, so a refusal part-way rolls back the cleared coins too.
        tx.ClearSpentCoins();
        await foreach (var entry in tx.ReadJournalAsync(1, cancellationToken).ConfigureAwait(false))
        {
            if (entry.Sequence != head.Sequence + 1 || entry.PreviousHash != head.Hash)
            {
                throw new LedgerStoreException($"The journal's hash chain breaks at entry {entry.Sequence}; its materialised state cannot be rebuilt from it.");
            }

            try
            {
                foreach (var posting in entry.Postings)
                {
                    balances[posting.Account] = checked(balances.GetValueOrDefault(posting.Account) + posting.Delta);
                }

                foreach (var effect in entry.KeysetEffects)
                {
                    keysets[effect.Keyset] = (keysets.TryGetValue(effect.Keyset, out var t) ? t : KeysetTotals.Empty(effect.Keyset)).Apply(effect);
                }
            }
            catch (OverflowException ex)
            {
                throw new LedgerStoreException($"Entry {entry.Sequence} takes a balance or keyset counter beyond the range of a 64-bit integer.", ex);
            }

            tx.RecordSpentCoins(entry);
            head = new JournalHead(entry.Sequence, entry.Hash);
        }

        tx.ReplaceMaterialized(balances, keysets.Values);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return head.Sequence;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // An open write transaction is rolled back first; its own later dispose is then a no-op, and the gate
        // is released exactly once before it is disposed.
        _openWrite?.Abandon();
        foreach (var command in _writerCommands.Values)
        {
            command.Dispose();
        }

        _writer.Dispose();
        using (var pooled = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        _writerGate.Dispose();
    }

    private static void Configure(SqliteConnection connection) =>
        Execute(connection, "PRAGMA synchronous=FULL");

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private const int MaxLookup = 256;

    private static readonly string[] SpentLookupParameters = [.. Enumerable.Range(0, MaxLookup).Select(i => $"$c{i}")];

    private static readonly string[] SpentLookupStatements = [.. Enumerable.Range(1, MaxLookup / 16).Select(n =>
        $"SELECT coin_id, entry_seq FROM spent_coins WHERE coin_id IN ({string.Join(", ", SpentLookupParameters.Take(n * 16))})")];

    private static string SpentLookupSql(int size) => SpentLookupStatements[(size / 16) - 1];

    private static LedgerStoreException Wrap(SqliteException ex) => new($"The ledger database failed: {ex.Message}", ex);

    private class ReadTransaction(SqliteConnection connection, SqliteTransaction transaction, bool ownsConnection, Dictionary<string, SqliteCommand>? commands)
        : ILedgerReadTransaction
    {
        private readonly Dictionary<string, SqliteCommand> _commands = commands ?? new(StringComparer.Ordinal);

        protected SqliteConnection Connection => connection;

        protected SqliteTransaction Transaction => transaction;

        public ValueTask<JournalHead> GetHeadAsync(CancellationToken cancellationToken) => Run(cancellationToken, () =>
        {
            using var reader = Command("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").ExecuteReader();
            return reader.Read() ? new JournalHead(reader.GetInt64(0), new EntryHash(Blob(reader, 1))) : JournalHead.Empty;
        });

        public ValueTask<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(account);
            return Run(cancellationToken, () =>
            {
                var command = Command("SELECT balance FROM balances WHERE kind = $kind AND key = $key");
                command.Parameters.AddWithValue("$kind", (int)account.Kind);
                command.Parameters.AddWithValue("$key", account.Key);
                return command.ExecuteScalar() switch
                {
                    null => 0L,
                    long balance => balance,
                    _ => throw new LedgerStoreException($"The stored balance of {account} is not an integer."),
                };
            });
        }

        public ValueTask<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(keyset);
            return Run(cancellationToken, () =>
            {
                var command = Command("SELECT keyset_id, issued, deposited, swapped_in, expired, is_expired FROM keysets WHERE keyset_id = $id");
                command.Parameters.AddWithValue("$id", keyset.Bytes.ToArray());
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadTotals(reader) : KeysetTotals.Empty(keyset);
            });
        }

        public ValueTask<IdempotencyRecord?> FindOutcomeAsync(IdempotencyKey key, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(key);
            return Run(cancellationToken, () =>
            {
                var command = Command("SELECT request_hash, status, entry_seq, conflicts FROM outcomes WHERE idempotency_key = $key");
                command.Parameters.AddWithValue("$key", key.Value);
                using var reader = command.ExecuteReader();
                if (!reader.Read())
                {
                    return (IdempotencyRecord?)null;
                }

                long status = Integer(reader, 1);
                if (!Enum.IsDefined((LedgerStatus)status) || !CoinConflict.TryDecodeList(Blob(reader, 3), out var conflicts))
                {
                    throw new LedgerStoreException($"The stored outcome of '{key}' is malformed.");
                }

                return new IdempotencyRecord(key, Blob(reader, 0), (LedgerStatus)status, reader.IsDBNull(2) ? null : Integer(reader, 2), conflicts);
            });
        }

        public ValueTask<long?> FindSpentAsync(CoinId coin, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(coin);
            return Run(cancellationToken, () =>
            {
                var command = Command("SELECT entry_seq FROM spent_coins WHERE coin_id = $coin");
                command.Parameters.AddWithValue("$coin", coin.Bytes.ToArray());
                return command.ExecuteScalar() switch
                {
                    null => (long?)null,
                    long sequence => sequence,
                    _ => throw new LedgerStoreException($"The stored spending entry of coin {coin} is not an integer."),
                };
            });
        }

        public ValueTask<IReadOnlyDictionary<CoinId, long>> FindSpentAsync(IReadOnlyCollection<CoinId> coins, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(coins);
            var all = coins.ToArray();
            foreach (var coin in all)
            {
                ArgumentNullException.ThrowIfNull(coin, nameof(coins));
            }

            return Run(cancellationToken, () =>
            {
                var found = new Dictionary<CoinId, long>();
                for (int start = 0; start < all.Length; start += MaxLookup)
                {
                    int count = Math.Min(MaxLookup, all.Length - start);

                    // Statements come in sizes that are multiples of 16 (padded by repeating a coin) so few are ever prepared.
                    int size = (count + 15) / 16 * 16;
                    var command = Command(SpentLookupSql(size));
                    for (int i = 0; i < size; i++)
                    {
                        command.Parameters.AddWithValue(SpentLookupParameters[i], all[start + Math.Min(i, count - 1)].Bytes.ToArray());
                    }

                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        found[new CoinId(Blob(reader, 0))] = Integer(reader, 1);
                    }
                }

                return (IReadOnlyDictionary<CoinId, long>)found;
            });
        }

        public ValueTask<JournalEntry?> GetEntryAsync(long sequence, CancellationToken cancellationToken) => Run(cancellationToken, () =>
        {
            var command = Command("SELECT body FROM journal WHERE seq = $seq");
            command.Parameters.AddWithValue("$seq", sequence);
            return command.ExecuteScalar() is byte[] body ? Decode(body) : null;
        });

        public async IAsyncEnumerable<JournalEntry> ReadJournalAsync(long fromSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            // A dedicated command: the enumeration may interleave with other reads on this transaction.
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT body FROM journal WHERE seq >= $from ORDER BY seq";
            command.Parameters.AddWithValue("$from", fromSequence);
            using var reader = Guard(command.ExecuteReader);
            while (Guard(reader.Read))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return Decode(Blob(reader, 0));
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }

        public async IAsyncEnumerable<AccountBalance> ReadBalancesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT kind, key, balance FROM balances WHERE balance <> 0 ORDER BY kind, key";
            using var reader = Guard(command.ExecuteReader);
            while (Guard(reader.Read))
            {
                cancellationToken.ThrowIfCancellationRequested();
                long kind = Integer(reader, 0);
                if (kind is < 0 or > 255 || !LedgerAccount.TryCreate((LedgerAccountKind)kind, reader.GetString(1), out var account))
                {
                    throw new LedgerStoreException("A stored balance names an invalid account.");
                }

                yield return new AccountBalance(account, Integer(reader, 2));
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }

        public async IAsyncEnumerable<KeysetTotals> ReadKeysetsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT keyset_id, issued, deposited, swapped_in, expired, is_expired FROM keysets ORDER BY keyset_id";
            using var reader = Guard(command.ExecuteReader);
            while (Guard(reader.Read))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return ReadTotals(reader);
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }

        public ValueTask<long> CountSpentCoinsAsync(CancellationToken cancellationToken) =>
            Run(cancellationToken, () => Command("SELECT count(*) FROM spent_coins").ExecuteScalar() is long count ? count : 0L);

        public ValueTask<long> CountEntryOutcomesAsync(CancellationToken cancellationToken) =>
            Run(cancellationToken, () => Command("SELECT count(*) FROM outcomes WHERE entry_seq IS NOT NULL").ExecuteScalar() is long count ? count : 0L);

        public virtual ValueTask DisposeAsync()
        {
            transaction.Dispose();
            if (ownsConnection)
            {
                foreach (var command in _commands.Values)
                {
                    command.Dispose();
                }

                connection.Dispose();
            }

            return ValueTask.CompletedTask;
        }

        protected SqliteCommand Command(string sql)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                _commands.Add(sql, command);
            }

            command.Transaction = transaction;
            command.Parameters.Clear();
            return command;
        }

        protected static ValueTask<T> Run<T>(CancellationToken cancellationToken, Func<T> read)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Guard(read));
        }

        protected static T Guard<T>(Func<T> action)
        {
            try
            {
                return action();
            }
            catch (SqliteException ex)
            {
                throw Wrap(ex);
            }
        }

        private static byte[] Blob(SqliteDataReader reader, int ordinal) =>
            reader.GetValue(ordinal) as byte[] ?? throw new LedgerStoreException("A stored value that must be a blob is not one.");

        // GetInt64 would silently truncate a REAL that an overflowing SQL addition left behind in a non-STRICT table.
        private static long Integer(SqliteDataReader reader, int ordinal) =>
            reader.GetValue(ordinal) is long value ? value : throw new LedgerStoreException("A stored value that must be an integer is not one.");

        private static JournalEntry Decode(byte[] body) =>
            JournalEntry.TryDecode(body, out var entry) ? entry : throw new LedgerStoreException("A stored journal entry does not decode.");

        private static KeysetTotals ReadTotals(SqliteDataReader reader)
        {
            byte[] id = Blob(reader, 0);
            if (id.Length != KeysetId.Length)
            {
                throw new LedgerStoreException("A stored keyset id is malformed.");
            }

            try
            {
                return new KeysetTotals(
                    new KeysetId(id),
                    Amount.FromMinorUnits(Integer(reader, 1)),
                    Amount.FromMinorUnits(Integer(reader, 2)),
                    Amount.FromMinorUnits(Integer(reader, 3)),
                    Amount.FromMinorUnits(Integer(reader, 4)),
                    Integer(reader, 5) != 0);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new LedgerStoreException("Stored keyset counters are negative.", ex);
            }
        }
    }

    private sealed class WriteTransaction(SqliteLedgerStore store, SqliteTransaction transaction)
        : ReadTransaction(store._writer, transaction, ownsConnection: false, store._writerCommands), ILedgerWriteTransaction
    {
        private bool _finished;
        private bool _failed;

        public ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(entry);
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_finished, this);
            return Failing(cancellationToken, () =>
            {
                var head = GetHeadAsync(cancellationToken).Result;
                if (entry.Sequence != head.Sequence + 1 || entry.PreviousHash != head.Hash)
                {
                    throw new LedgerStoreException($"Entry {entry.Sequence} does not chain to the journal head (entry {head.Sequence}).");
                }

                var insert = Command("INSERT INTO journal (seq, idempotency_key, hash, body) VALUES ($seq, $key, $hash, $body)");
                insert.Parameters.AddWithValue("$seq", entry.Sequence);
                insert.Parameters.AddWithValue("$key", entry.IdempotencyKey.Value);
                insert.Parameters.AddWithValue("$hash", entry.Hash.Bytes.ToArray());
                insert.Parameters.AddWithValue("$body", entry.Encode());
                insert.ExecuteNonQuery();

                InsertSpentCoins(entry);

                foreach (var posting in entry.Postings)
                {
                    AddBalance(posting.Account, posting.Delta);
                }

                foreach (var effect in entry.KeysetEffects)
                {
                    var upsert = Command(
                        """
                        INSERT INTO keysets (keyset_id, issued, deposited, swapped_in, expired, is_expired)
                        VALUES ($id, $issued, $deposited, $swapped, $expired, $closes)
                        ON CONFLICT (keyset_id) DO UPDATE SET
                            issued = issued + excluded.issued,
                            deposited = deposited + excluded.deposited,
                            swapped_in = swapped_in + excluded.swapped_in,
                            expired = expired + excluded.expired,
                            is_expired = max(is_expired, excluded.is_expired)
                        """);
                    upsert.Parameters.AddWithValue("$id", effect.Keyset.Bytes.ToArray());
                    upsert.Parameters.AddWithValue("$issued", effect.Issued.MinorUnits);
                    upsert.Parameters.AddWithValue("$deposited", effect.Deposited.MinorUnits);
                    upsert.Parameters.AddWithValue("$swapped", effect.SwappedIn.MinorUnits);
                    upsert.Parameters.AddWithValue("$expired", effect.Expired.MinorUnits);
                    upsert.Parameters.AddWithValue("$closes", effect.Closes ? 1 : 0);
                    upsert.ExecuteNonQuery();
                }

                return true;
            });
        }

        public ValueTask RecordOutcomeAsync(IdempotencyRecord record, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(record);
            ObjectDisposedException.ThrowIf(_finished, this);
            return Failing(cancellationToken, () =>
            {
                var conflicts = CoinConflict.EncodeList(record.Conflicts);

                var insert = Command("INSERT INTO outcomes (idempotency_key, request_hash, status, entry_seq, conflicts) VALUES ($key, $hash, $status, $seq, $conflicts)");
                insert.Parameters.AddWithValue("$key", record.Key.Value);
                insert.Parameters.AddWithValue("$hash", record.RequestHash.ToArray());
                insert.Parameters.AddWithValue("$status", (int)record.Status);
                insert.Parameters.AddWithValue("$seq", record.EntrySequence is long s ? s : DBNull.Value);
                insert.Parameters.AddWithValue("$conflicts", conflicts);
                try
                {
                    insert.ExecuteNonQuery();
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
                {
                    throw new LedgerStoreException($"An outcome is already stored under '{record.Key}'.", ex);
                }

                return true;
            });
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_finished, this);
            if (_failed)
            {
                // A statement may have failed after earlier ones of the same write succeeded (a journal row
                // without its spent coins); only a rollback is safe.
                throw new LedgerStoreException("A write of this transaction failed; it can only be rolled back.");
            }

            Guard(() =>
            {
                Transaction.Commit();
                return true;
            });
            Finish();
            return ValueTask.CompletedTask;
        }

        public override async ValueTask DisposeAsync()
        {
            try
            {
                // Rolls back unless committed; may throw if the connection broke, and the gate must still open.
                await base.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                Finish();
            }
        }

        /// <summary>Forgets every spent coin before a rebuild records them again from the journal.</summary>
        internal void ClearSpentCoins() => Guard(() => Command("DELETE FROM spent_coins").ExecuteNonQuery());

        /// <summary>Records the coins an entry spent; a coin already recorded (spent twice in the journal) fails.</summary>
        internal void RecordSpentCoins(JournalEntry entry) => Guard(() =>
        {
            InsertSpentCoins(entry);
            return true;
        });

        internal void ReplaceMaterialized(Dictionary<LedgerAccount, long> balances, IEnumerable<KeysetTotals> keysets)
        {
            Guard(() =>
            {
                Command("DELETE FROM balances").ExecuteNonQuery();
                Command("DELETE FROM keysets").ExecuteNonQuery();
                foreach (var (account, balance) in balances)
                {
                    AddBalance(account, balance);
                }

                foreach (var totals in keysets)
                {
                    var insert = Command("INSERT INTO keysets (keyset_id, issued, deposited, swapped_in, expired, is_expired) VALUES ($id, $issued, $deposited, $swapped, $expired, $closed)");
                    insert.Parameters.AddWithValue("$id", totals.Keyset.Bytes.ToArray());
                    insert.Parameters.AddWithValue("$issued", totals.Issued.MinorUnits);
                    insert.Parameters.AddWithValue("$deposited", totals.Deposited.MinorUnits);
                    insert.Parameters.AddWithValue("$swapped", totals.SwappedIn.MinorUnits);
                    insert.Parameters.AddWithValue("$expired", totals.Expired.MinorUnits);
                    insert.Parameters.AddWithValue("$closed", totals.IsExpired ? 1 : 0);
                    insert.ExecuteNonQuery();
                }

                return true;
            });
        }

        private void InsertSpentCoins(JournalEntry entry)
        {
            var spend = Command("INSERT INTO spent_coins (coin_id, keyset_id, amount, entry_seq) VALUES ($coin, $keyset, $amount, $seq)");
            var coinParameter = spend.Parameters.Add("$coin", SqliteType.Blob);
            var keysetParameter = spend.Parameters.Add("$keyset", SqliteType.Blob);
            var amountParameter = spend.Parameters.Add("$amount", SqliteType.Integer);
            spend.Parameters.AddWithValue("$seq", entry.Sequence);
            foreach (var coin in entry.SpentCoins)
            {
                coinParameter.Value = coin.Coin.Bytes.ToArray();
                keysetParameter.Value = coin.Keyset.Bytes.ToArray();
                amountParameter.Value = coin.Value.MinorUnits;
                try
                {
                    spend.ExecuteNonQuery();
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
                {
                    throw new LedgerStoreException($"Coin {coin.Coin} is already recorded spent.", ex);
                }
            }
        }

        private ValueTask Failing(CancellationToken cancellationToken, Func<bool> write)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                Guard(write);
                return ValueTask.CompletedTask;
            }
            catch
            {
                _failed = true;
                throw;
            }
        }

        private void AddBalance(LedgerAccount account, long delta)
        {
            var upsert = Command("INSERT INTO balances (kind, key, balance) VALUES ($kind, $key, $delta) ON CONFLICT (kind, key) DO UPDATE SET balance = balance + excluded.balance");
            upsert.Parameters.AddWithValue("$kind", (int)account.Kind);
            upsert.Parameters.AddWithValue("$key", account.Key);
            upsert.Parameters.AddWithValue("$delta", delta);
            upsert.ExecuteNonQuery();
        }

        /// <summary>Rolls back when the store is disposed while this transaction is still open.</summary>
        internal void Abandon()
        {
            if (!_finished)
            {
                try
                {
                    Transaction.Dispose();
                }
                finally
                {
                    Finish();
                }
            }
        }

        private void Finish()
        {
            if (!_finished)
            {
                _finished = true;
                store._openWrite = null;
                store._writerGate.Release();
            }
        }
    }
}
