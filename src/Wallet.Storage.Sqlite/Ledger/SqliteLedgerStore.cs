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
    private readonly SemaphoreSlim _writerGate;
    private readonly SqliteSharedWriter? _shared;
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PreparedStatement> _writerStatements = new(StringComparer.Ordinal);
    private SqliteLedgerWriteTransaction? _openWrite;
    private bool _disposed;

    private SqliteLedgerStore(string connectionString, SqliteConnection writer, SqliteSharedWriter? shared = null)
    {
        _connectionString = connectionString;
        _writer = writer;
        _shared = shared;
        _writerGate = shared?.Gate ?? new SemaphoreSlim(1, 1);
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
        string connectionString = SqliteConnections.Pooled(path);

        var writer = new SqliteConnection(connectionString);
        return Task.FromResult(UndoingOnFailure("Cannot open the ledger database", writer.Dispose, () =>
        {
            writer.Open();
            Execute(writer, "PRAGMA journal_mode=WAL");
            Configure(writer);
            SqliteLedgerSchema.Migrate(writer);
            return new SqliteLedgerStore(connectionString, writer);
        }));
    }

    /// <summary>The ledger store of a <see cref="SqliteSchemeDatabase"/>: its tables in the database's file, its writes in the database's operations.</summary>
    internal static SqliteLedgerStore OpenShared(SqliteSharedWriter shared, string connectionString)
    {
        try
        {
            SqliteLedgerSchema.Migrate(shared.Connection);
        }
        catch (SqliteException ex)
        {
            throw new LedgerStoreException($"Cannot open the ledger database: {ex.Message}", ex);
        }

        return new SqliteLedgerStore(connectionString, shared.Connection, shared);
    }

    /// <inheritdoc />
    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_shared?.InOperation == true)
        {
            // Part of the scheme operation that holds the database's writer: a savepoint, committed with the operation.
            cancellationToken.ThrowIfCancellationRequested();
            return UndoingOnFailure<ILedgerWriteTransaction>("Cannot begin a ledger write", () => { }, () =>
            {
                Execute(_writer, "SAVEPOINT ledger_write");
                var nested = new SqliteLedgerWriteTransaction(this, null);
                _openWrite = nested;
                return nested;
            });
        }

        await _writerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return UndoingOnFailure<ILedgerWriteTransaction>("Cannot begin a ledger write", () => _writerGate.Release(), () =>
        {
            var transaction = _writer.BeginTransaction(deferred: false);
            var write = new SqliteLedgerWriteTransaction(this, transaction);
            _openWrite = write;
            return write;
        });
    }

    /// <inheritdoc />
    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_shared?.InOperation == true)
        {
            // Inside a scheme operation, reads see its own uncommitted writes: they run on the operation's connection.
            return ValueTask.FromResult<ILedgerReadTransaction>(new SqliteLedgerReadTransaction(_writer, null, ownsConnection: false, _writerCommands));
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Configure(connection);
            var transaction = connection.BeginTransaction(deferred: true);
            return ValueTask.FromResult<ILedgerReadTransaction>(new SqliteLedgerReadTransaction(connection, transaction, ownsConnection: true, commands: null));
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
        await using var tx = (SqliteLedgerWriteTransaction)await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
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

        foreach (var statement in _writerStatements.Values)
        {
            statement.Dispose();
        }

        if (_shared is not null)
        {
            // The database owns the connection and its gate.
            return;
        }

        _writer.Dispose();
        using (var pooled = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        _writerGate.Dispose();
    }

    // A step that holds something (a connection, the writer gate) until it succeeds: on any failure it lets go first,
    // and a SQLite failure becomes a LedgerStoreException saying what could not be done.
    private static T UndoingOnFailure<T>(string what, Action undo, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (SqliteException ex)
        {
            undo();
            throw new LedgerStoreException($"{what}: {ex.Message}", ex);
        }
        catch
        {
            undo();
            throw;
        }
    }

    private static void Configure(SqliteConnection connection) =>
        Execute(connection, "PRAGMA synchronous=FULL");

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // The write transaction runs on the store's one writer connection, with its prepared commands and its gate.
    internal SqliteConnection Writer => _writer;

    internal Dictionary<string, SqliteCommand> WriterCommands => _writerCommands;

    /// <summary>The writer connection's statement for <paramref name="sql"/>, prepared on first use and kept until the store is disposed.</summary>
    internal PreparedStatement WriterStatement(string sql)
    {
        if (!_writerStatements.TryGetValue(sql, out var statement))
        {
            statement = new PreparedStatement(_writer, sql);
            _writerStatements.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>Ends the open write: the next writer may begin (a savepoint of an operation leaves the writer to it).</summary>
    internal void EndWrite(bool nested)
    {
        _openWrite = null;
        if (!nested)
        {
            _writerGate.Release();
        }
    }
}
