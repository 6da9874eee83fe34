using static Wallet.Storage.Postgres.Ledger.PostgresLedgerStore;

namespace Wallet.Storage.Postgres.Ledger;

/// <summary>
/// A read of <see cref="PostgresLedgerStore"/> on one pooled connection (one REPEATABLE READ snapshot), and the base
/// of its write transaction, which overrides the reads it can answer from the head lock or its cache.
/// </summary>
internal class PostgresLedgerReadTransaction(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool ownsConnection) : ILedgerReadTransaction
{
    protected NpgsqlConnection Connection => connection;

    protected NpgsqlTransaction? Transaction => transaction;

    public virtual async ValueTask<JournalHead> GetHeadAsync(CancellationToken cancellationToken) =>
        await ReadRowAsync(
            "SELECT seq, hash FROM ledger_head",
            [],
            reader => new JournalHead(reader.GetInt64(0), ReadHash(reader.GetFieldValue<byte[]>(1))),
            () => throw new LedgerStoreException("The ledger head row is missing."),
            cancellationToken).ConfigureAwait(false);

    public virtual async ValueTask<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return await ReadBigintAsync("SELECT balance FROM balances WHERE kind = $1 AND key = $2", [(short)account.Kind, account.Key], cancellationToken).ConfigureAwait(false);
    }

    public virtual async ValueTask<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        const string Sql = "SELECT keyset_id, issued, deposited, swapped_in, expired, is_expired, reversed FROM keysets WHERE keyset_id = $1";
        return await ReadRowAsync(Sql, [keyset.Bytes.ToArray()], ReadTotals, () => KeysetTotals.Empty(keyset), cancellationToken).ConfigureAwait(false);
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

    // One statement under this transaction: made ready first, and a database failure reported as a LedgerStoreException.
    private async Task<T> QueryAsync<T>(string sql, object[] parameters, Func<NpgsqlCommand, Task<T>> run, CancellationToken cancellationToken)
    {
        try
        {
            await ReadyAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(sql, parameters);
            return await run(command).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw Fail(ex);
        }
    }

    // A bigint the statement answers, 0 when it answers no row or null.
    private Task<long> ReadBigintAsync(string sql, object[] parameters, CancellationToken cancellationToken) =>
        QueryAsync(sql, parameters, async command => await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long value ? value : 0L, cancellationToken);

    // The first row the statement answers, read by read, or what missing says when there is none.
    private Task<T> ReadRowAsync<T>(string sql, object[] parameters, Func<NpgsqlDataReader, T> read, Func<T> missing, CancellationToken cancellationToken) =>
        QueryAsync(sql, parameters, async command =>
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : missing();
        }, cancellationToken);

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

    public async ValueTask<long> CountEntryOutcomesAsync(CancellationToken cancellationToken) =>
        await ReadBigintAsync("SELECT count(*) FROM outcomes WHERE entry_seq IS NOT NULL", [], cancellationToken).ConfigureAwait(false);

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

    // A worker's sub-balances (docs/PROTOCOL.md 5.22): its general account by primary key, and its restricted-fund
    // accounts ("account/fund") by a range over the partial index balances_worker_funds (schema version 5), which keys
    // them in code-point order whatever the database locale. The range also holds longer ids that start "account/"
    // (worker "w/x" with fund "f" is "w/x/f"), so each row is checked to name this worker.
    public async IAsyncEnumerable<AccountBalance> ReadWorkerBalancesAsync(AccountId worker, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        await Guard(() => ReadyForStreamAsync(cancellationToken)).ConfigureAwait(false);
        await using var command = Command(
            "SELECT kind, key, balance FROM balances WHERE balance <> 0 AND ((kind = $1 AND key = $2) OR (kind = $3 AND key COLLATE \"C\" >= $4 AND key COLLATE \"C\" < $5)) ORDER BY kind, key COLLATE \"C\"",
            (short)LedgerAccountKind.Worker,
            worker.Value,
            (short)LedgerAccountKind.WorkerFund,
            worker.Value + "/",
            worker.Value + "0");
        await using var reader = await Guard(() => command.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
        while (await Guard(() => reader.ReadAsync(cancellationToken)).ConfigureAwait(false))
        {
            short kind = reader.GetInt16(0);
            if (kind is < 0 or > 255 || !LedgerAccount.TryCreate((LedgerAccountKind)kind, reader.GetString(1), out var account))
            {
                throw new LedgerStoreException("A stored balance names an invalid account.");
            }

            if (account.GetWorker() == worker)
            {
                yield return new AccountBalance(account, reader.GetInt64(2));
            }
        }
    }

    public async IAsyncEnumerable<KeysetTotals> ReadKeysetsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Guard(() => ReadyForStreamAsync(cancellationToken)).ConfigureAwait(false);
        await using var command = Command("SELECT keyset_id, issued, deposited, swapped_in, expired, is_expired, reversed FROM keysets ORDER BY keyset_id");
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

        if (ownsConnection)
        {
            await DisposeQuietlyAsync(connection).ConfigureAwait(false);
        }
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
                Amount.FromMinorUnits(reader.GetInt64(6)),
                reader.GetBoolean(5));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new LedgerStoreException("Stored keyset counters are negative.", ex);
        }
    }
}
