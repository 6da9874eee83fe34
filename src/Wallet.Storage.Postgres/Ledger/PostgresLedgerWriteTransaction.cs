using static Wallet.Storage.Postgres.Ledger.PostgresLedgerSql;
using static Wallet.Storage.Postgres.Ledger.PostgresLedgerStore;

namespace Wallet.Storage.Postgres.Ledger;

// optimisticHead: null for a locking transaction; otherwise the cached head an optimistic one starts from.
// operation: null for a transaction of its own on a pooled connection; otherwise the running operation of a
// PostgresSchemeDatabase, on whose connection this transaction is a savepoint (BEGIN becomes SAVEPOINT, COMMIT becomes
// RELEASE, ROLLBACK becomes ROLLBACK TO), and whose commit publishes what this one's would have.
/// <summary>
/// A write of <see cref="PostgresLedgerStore"/>: the locking path (BEGIN and the head lock with the first statement)
/// or, given the cached head, the optimistic one (everything sent with the COMMIT). This part holds its state and
/// its reads; PostgresLedgerWriteTransaction.Writes.cs appends, commits and archives.
/// </summary>
internal sealed partial class PostgresLedgerWriteTransaction(PostgresLedgerStore store, NpgsqlConnection connection, JournalHead? optimisticHead, PostgresOperations.Operation? operation)
    : PostgresLedgerReadTransaction(connection, null, ownsConnection: operation is null), ILedgerWriteTransaction
{
    private string BeginSql => operation is null ? "BEGIN ISOLATION LEVEL READ COMMITTED" : "SAVEPOINT ledger_write";

    private string CommitSql => operation is null ? "COMMIT" : "RELEASE SAVEPOINT ledger_write";

    private string RollbackSql => operation is null ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT ledger_write; RELEASE SAVEPOINT ledger_write";

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
        if (_staleAccounts.Contains(account) || !store.Cache.TryGetBalance(_startHead!, account, out balance))
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
            if (!_staleKeysets.Contains(keyset) && store.Cache.TryGetKeyset(_startHead!, keyset, out cached))
            {
                _keysets[keyset] = cached!;
                return cached!;
            }

            RequireServer("the counters of a keyset it has not seen");

            await using var batch = new NpgsqlBatch(Connection);
            batch.BatchCommands.Add(BatchCommand("SELECT keyset_id, issued, deposited, swapped_in, expired, is_expired, reversed FROM keysets WHERE keyset_id = $1", keyset.Bytes.ToArray()));
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
        batch.BatchCommands.Add(new NpgsqlBatchCommand(BeginSql));
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


    public override async ValueTask DisposeAsync()
    {
        bool open = _begun && !_finished;
        _finished = true;
        if (open && Connection.State == ConnectionState.Open)
        {
            try
            {
                await using var rollback = new NpgsqlCommand(RollbackSql, Connection);
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
}
