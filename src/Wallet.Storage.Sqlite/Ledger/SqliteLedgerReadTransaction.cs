namespace Wallet.Storage.Sqlite.Ledger;

/// <summary>A read of <see cref="SqliteLedgerStore"/>: one SQLite transaction, and the base of its write transaction.</summary>
internal class SqliteLedgerReadTransaction(SqliteConnection connection, SqliteTransaction? transaction, bool ownsConnection, Dictionary<string, SqliteCommand>? commands)
    : ILedgerReadTransaction
{
    private const int MaxLookup = 256;

    private static readonly string[] SpentLookupParameters = [.. Enumerable.Range(0, MaxLookup).Select(i => $"$c{i}")];

    private static readonly string[] SpentLookupStatements = [.. Enumerable.Range(1, MaxLookup / 16).Select(n =>
        $"SELECT coin_id, entry_seq FROM spent_coins WHERE coin_id IN ({string.Join(", ", SpentLookupParameters.Take(n * 16))})")];

    private static string SpentLookupSql(int size) => SpentLookupStatements[(size / 16) - 1];

    private static LedgerStoreException Wrap(SqliteException ex) => new($"The ledger database failed: {ex.Message}", ex);

    private readonly Dictionary<string, SqliteCommand> _commands = commands ?? new(StringComparer.Ordinal);

    protected SqliteConnection Connection => connection;

    protected SqliteTransaction? Transaction => transaction;

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
            var command = Command("SELECT keyset_id, issued, deposited, swapped_in, expired, is_expired, reversed FROM keysets WHERE keyset_id = $id");
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

    public IAsyncEnumerable<JournalEntry> ReadJournalAsync(long fromSequence, CancellationToken cancellationToken) =>
        StreamAsync("SELECT body FROM journal WHERE seq >= $from ORDER BY seq", reader => Decode(Blob(reader, 0)), cancellationToken, ("$from", fromSequence));

    public IAsyncEnumerable<AccountBalance> ReadBalancesAsync(CancellationToken cancellationToken) =>
        StreamAsync("SELECT kind, key, balance FROM balances WHERE balance <> 0 ORDER BY kind, key", ReadBalance, cancellationToken);

    // A worker's general account and its fund sub-balances ("account/fund", docs/PROTOCOL.md 5.22) by the primary key:
    // the keys from "account/" up to "account0" ('0' follows '/'), never a scan of every balance.
    // The range also holds the sub-balances of longer ids that start "account/" (worker "w/x" with fund "f" is "w/x/f"),
    // so each row is checked to name this worker.
    public IAsyncEnumerable<AccountBalance> ReadWorkerBalancesAsync(AccountId worker, CancellationToken cancellationToken) =>
        OfWorker(worker, StreamAsync(
            "SELECT kind, key, balance FROM balances WHERE balance <> 0 AND ((kind = $worker AND key = $account) OR (kind = $fund AND key >= $from AND key < $to)) ORDER BY kind, key",
            ReadBalance,
            cancellationToken,
            ("$worker", (int)LedgerAccountKind.Worker),
            ("$fund", (int)LedgerAccountKind.WorkerFund),
            ("$account", worker.Value),
            ("$from", worker.Value + "/"),
            ("$to", worker.Value + "0")));

    private static async IAsyncEnumerable<AccountBalance> OfWorker(AccountId worker, IAsyncEnumerable<AccountBalance> balances)
    {
        await foreach (var balance in balances.ConfigureAwait(false))
        {
            if (balance.Account.GetWorker() == worker)
            {
                yield return balance;
            }
        }
    }

    public IAsyncEnumerable<KeysetTotals> ReadKeysetsAsync(CancellationToken cancellationToken) =>
        StreamAsync("SELECT keyset_id, issued, deposited, swapped_in, expired, is_expired, reversed FROM keysets ORDER BY keyset_id", ReadTotals, cancellationToken);

    public ValueTask<long> CountSpentCoinsAsync(CancellationToken cancellationToken) =>
        Run(cancellationToken, () => Command("SELECT count(*) FROM spent_coins").ExecuteScalar() is long count ? count : 0L);

    public ValueTask<long> CountEntryOutcomesAsync(CancellationToken cancellationToken) =>
        Run(cancellationToken, () => Command("SELECT count(*) FROM outcomes WHERE entry_seq IS NOT NULL").ExecuteScalar() is long count ? count : 0L);

    public virtual ValueTask DisposeAsync()
    {
        transaction?.Dispose();
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

    // Each row as it is read, through a dedicated command: the enumeration may interleave with other reads on this
    // transaction, which reuse the cached commands.
    private async IAsyncEnumerable<T> StreamAsync<T>(
        string sql,
        Func<SqliteDataReader, T> read,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = Guard(command.ExecuteReader);
        while (Guard(reader.Read))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return read(reader);
        }

        await Task.CompletedTask.ConfigureAwait(false);
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

    protected static byte[] Blob(SqliteDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) as byte[] ?? throw new LedgerStoreException("A stored value that must be a blob is not one.");

    // GetInt64 would silently truncate a REAL that an overflowing SQL addition left behind in a non-STRICT table.
    protected static long Integer(SqliteDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) is long value ? value : throw new LedgerStoreException("A stored value that must be an integer is not one.");

    private static JournalEntry Decode(byte[] body) =>
        JournalEntry.TryDecode(body, out var entry) ? entry : throw new LedgerStoreException("A stored journal entry does not decode.");

    private static AccountBalance ReadBalance(SqliteDataReader reader)
    {
        long kind = Integer(reader, 0);
        if (kind is < 0 or > 255 || !LedgerAccount.TryCreate((LedgerAccountKind)kind, reader.GetString(1), out var account))
        {
            throw new LedgerStoreException("A stored balance names an invalid account.");
        }

        return new AccountBalance(account, Integer(reader, 2));
    }

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
                Amount.FromMinorUnits(Integer(reader, 6)),
                Integer(reader, 5) != 0);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new LedgerStoreException("Stored keyset counters are negative.", ex);
        }
    }
}
