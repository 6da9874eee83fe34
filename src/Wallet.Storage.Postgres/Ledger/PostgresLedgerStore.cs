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
public sealed partial class PostgresLedgerStore : IOptimisticLedgerStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ConcurrentDictionary<KeysetId, bool> _livePartitions = new();
    private readonly MaterializedStateCache _cache = new();
    private readonly PostgresOperations _operations;
    private bool _disposed;

    private PostgresLedgerStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresOperations? operations = null)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _operations = operations ?? new PostgresOperations(dataSource);
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
        var store = CreateOwning(connectionString);
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
        return await OpenWriteAsync(null, cancellationToken).ConfigureAwait(false);
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
        return await OpenWriteAsync(head, cancellationToken).ConfigureAwait(false);
    }

    // A write transaction, pessimistic without a head, optimistic from the cached head: on a pooled connection, or as a
    // savepoint of the flow's running operation (PostgresSchemeDatabase), which then commits it.
    private async Task<ILedgerWriteTransaction> OpenWriteAsync(JournalHead? optimisticHead, CancellationToken cancellationToken)
    {
        try
        {
            var lease = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresLedgerWriteTransaction(this, lease.Connection, optimisticHead, lease.Operation);
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
            var lease = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (lease.Operation is not null)
            {
                // Inside an operation: its own connection and transaction, which sees its own writes.
                return new PostgresLedgerReadTransaction(lease.Connection, null, ownsConnection: false);
            }

            connection = lease.Connection;

            // One snapshot for every statement of the read, as the interface promises.
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return new PostgresLedgerReadTransaction(connection, transaction, ownsConnection: true);
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
        await using var tx = (PostgresLedgerWriteTransaction)await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
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
        await using var tx = (PostgresLedgerWriteTransaction)await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
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
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal static LedgerStoreException Wrap(NpgsqlException ex) => new($"The ledger database failed: {ex.Message}", ex);

    internal static async ValueTask DisposeQuietlyAsync(NpgsqlConnection? connection)
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

    internal static EntryHash ReadHash(byte[] bytes) =>
        bytes.Length == EntryHash.Genesis.Bytes.Length ? new EntryHash(bytes) : throw new LedgerStoreException("A stored entry hash is malformed.");

    // The keysets whose spent-coin partition this process knows exists, and the materialised values its last
    // commit left: both shared by every write transaction of the store.
    internal ConcurrentDictionary<KeysetId, bool> LivePartitions => _livePartitions;

    internal MaterializedStateCache Cache => _cache;
}
