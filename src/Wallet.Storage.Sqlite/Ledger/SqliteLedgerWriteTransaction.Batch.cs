namespace Wallet.Storage.Sqlite.Ledger;

// A payroll batch in a few statements (docs/PROTOCOL.md 5.21): one multi-row lookup of the batch's keys, multi-row
// inserts of its entries and outcomes, and one balance upsert per account for the batch's net change, all in the
// writer's one transaction. The effect is exactly that of AppendAsync and RecordOutcomeAsync line by line.
internal sealed partial class SqliteLedgerWriteTransaction
{
    private const int LookupChunk = 32;
    private const int RowChunk = 4;

    private static readonly string[] LookupStatements = [.. Enumerable.Range(1, LookupChunk / 16).Select(n =>
        $"SELECT idempotency_key, request_hash, status, entry_seq, conflicts FROM outcomes WHERE idempotency_key IN ({string.Join(", ", Enumerable.Range(0, n * 16).Select(i => $"$k{i}"))})")];

    private static readonly string[] LookupParameters = [.. Enumerable.Range(0, LookupChunk).Select(i => $"$k{i}")];

    private static readonly string[] BalanceLookupStatements = [.. Enumerable.Range(1, 2).Select(n =>
        $"SELECT kind, key, balance FROM balances WHERE (kind, key) IN (VALUES {string.Join(", ", Enumerable.Range(0, n * 8).Select(i => $"($n{i}, $k{i})"))})")];

    private static readonly string[] BalanceKindParameters = [.. Enumerable.Range(0, 16).Select(i => $"$n{i}")];

    private static readonly string[] BalanceKeyParameters = [.. Enumerable.Range(0, 16).Select(i => $"$k{i}")];

    private static readonly RowStatement JournalRows = new("INSERT INTO journal (seq, idempotency_key, hash, body) VALUES ", ["$s", "$k", "$h", "$b"], "");

    private static readonly RowStatement OutcomeRows = new("INSERT INTO outcomes (idempotency_key, request_hash, status, entry_seq, conflicts) VALUES ", ["$k", "$h", "$t", "$s", "$c"], "");

    private static readonly RowStatement BalanceRows = new(
        "INSERT INTO balances (kind, key, balance) VALUES ", ["$n", "$k", "$d"], " ON CONFLICT (kind, key) DO UPDATE SET balance = balance + excluded.balance");

    public ValueTask<IReadOnlyDictionary<IdempotencyKey, IdempotencyRecord>> FindOutcomesAsync(IReadOnlyCollection<IdempotencyKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var byValue = new Dictionary<string, IdempotencyKey>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            byValue.TryAdd(key.Value, key);
        }

        ObjectDisposedException.ThrowIf(_finished, this);
        return Run(cancellationToken, () =>
        {
            var all = byValue.Keys.ToArray();
            var found = new Dictionary<IdempotencyKey, IdempotencyRecord>();
            for (int start = 0; start < all.Length; start += LookupChunk)
            {
                int count = Math.Min(LookupChunk, all.Length - start);

                // Statements come in sizes that are multiples of 16 (padded by repeating a key) so few are ever prepared.
                int size = (count + 15) / 16 * 16;
                var command = Command(LookupStatements[(size / 16) - 1]);
                for (int i = 0; i < size; i++)
                {
                    command.Parameters.AddWithValue(LookupParameters[i], all[start + Math.Min(i, count - 1)]);
                }

                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var key = byValue[reader.GetString(0)];
                    long status = Integer(reader, 2);
                    if (!Enum.IsDefined((LedgerStatus)status) || !CoinConflict.TryDecodeList(Blob(reader, 4), out var conflicts))
                    {
                        throw new LedgerStoreException($"The stored outcome of '{key}' is malformed.");
                    }

                    found[key] = new IdempotencyRecord(key, Blob(reader, 1), (LedgerStatus)status, reader.IsDBNull(3) ? null : Integer(reader, 3), conflicts);
                }
            }

            return (IReadOnlyDictionary<IdempotencyKey, IdempotencyRecord>)found;
        });
    }

    public ValueTask<IReadOnlyDictionary<LedgerAccount, long>> GetBalancesAsync(IReadOnlyCollection<LedgerAccount> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var balances = new Dictionary<LedgerAccount, long>();
        foreach (var account in accounts)
        {
            ArgumentNullException.ThrowIfNull(account, nameof(accounts));
            balances.TryAdd(account, 0);
        }

        ObjectDisposedException.ThrowIf(_finished, this);
        return Run(cancellationToken, () =>
        {
            var all = balances.Keys.ToArray();
            var byRow = all.ToDictionary(a => ((int)a.Kind, a.Key));
            for (int start = 0; start < all.Length; start += 16)
            {
                int count = Math.Min(16, all.Length - start);

                // Two statement sizes, 8 and 16 accounts (padded by repeating one), so few are ever prepared.
                int size = count <= 8 ? 8 : 16;
                var command = Command(BalanceLookupStatements[(size / 8) - 1]);
                for (int i = 0; i < size; i++)
                {
                    var account = all[start + Math.Min(i, count - 1)];
                    command.Parameters.AddWithValue(BalanceKindParameters[i], (int)account.Kind);
                    command.Parameters.AddWithValue(BalanceKeyParameters[i], account.Key);
                }

                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    balances[byRow[((int)Integer(reader, 0), reader.GetString(1))]] = Integer(reader, 2);
                }
            }

            return (IReadOnlyDictionary<LedgerAccount, long>)balances;
        });
    }

    public ValueTask AppendBatchAsync(IReadOnlyList<JournalEntry> entries, IReadOnlyList<IdempotencyRecord> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
        }

        foreach (var outcome in outcomes)
        {
            ArgumentNullException.ThrowIfNull(outcome, nameof(outcomes));
        }

        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_finished, this);
        return Failing(cancellationToken, () =>
        {
            var head = GetHeadAsync(cancellationToken).Result;
            var net = new Dictionary<LedgerAccount, Int128>();
            foreach (var entry in entries)
            {
                if (entry.Sequence != head.Sequence + 1 || entry.PreviousHash != head.Hash)
                {
                    throw new LedgerStoreException($"Entry {entry.Sequence} does not chain to the journal head (entry {head.Sequence}).");
                }

                head = new JournalHead(entry.Sequence, entry.Hash);
                foreach (var posting in entry.Postings)
                {
                    net[posting.Account] = net.GetValueOrDefault(posting.Account) + posting.Delta;
                }
            }

            Rows(JournalRows, entries, (p, e) =>
            {
                p[0].Value = e.Sequence;
                p[1].Value = e.IdempotencyKey.Value;
                p[2].Value = e.Hash.Bytes.ToArray();
                p[3].Value = e.Encode();
            });

            foreach (var entry in entries.Where(e => e.SpentCoins.Count > 0 || e.KeysetEffects.Count > 0))
            {
                InsertSpentCoins(entry);
                foreach (var effect in entry.KeysetEffects)
                {
                    AddKeysetEffect(effect);
                }
            }

            // Each balance goes from one in-range value to another (the ledger checked every entry), but the difference
            // may not fit 64 bits: then it is added in two halves, each leaving the balance between the two.
            var changes = new List<KeyValuePair<LedgerAccount, long>>(net.Count);
            foreach (var (account, change) in net)
            {
                if (change >= long.MinValue && change <= long.MaxValue)
                {
                    changes.Add(new(account, (long)change));
                }
                else
                {
                    changes.Add(new(account, (long)(change / 2)));
                    changes.Add(new(account, (long)(change - (change / 2))));
                }
            }

            Rows(BalanceRows, changes, (p, b) =>
            {
                p[0].Value = (int)b.Key.Kind;
                p[1].Value = b.Key.Key;
                p[2].Value = b.Value;
            });

            try
            {
                Rows(OutcomeRows, outcomes, (p, o) =>
                {
                    p[0].Value = o.Key.Value;
                    p[1].Value = o.RequestHash.ToArray();
                    p[2].Value = (int)o.Status;
                    p[3].Value = o.EntrySequence is long s ? s : DBNull.Value;
                    p[4].Value = CoinConflict.EncodeList(o.Conflicts);
                });
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new LedgerStoreException("An outcome of the batch is already stored under its key.", ex);
            }

            return true;
        });
    }

    // Multi-row INSERTs of RowChunk rows, and single rows for the rest, so two statements per table are ever prepared.
    // Few rows per statement: Microsoft.Data.Sqlite binds parameters by name, at a cost that grows with the square of
    // their number (measured: 64 rows a statement was slower than one).
    private void Rows<T>(RowStatement statement, IReadOnlyList<T> items, Action<SqliteParameter[], T> bind)
    {
        int at = 0;
        while (at < items.Count)
        {
            int left = items.Count - at;
            int rows = left >= RowChunk ? RowChunk : 1;
            var command = Command(statement.Sql(rows));
            var parameters = new SqliteParameter[statement.Columns.Length];
            for (int row = 0; row < rows; row++)
            {
                for (int c = 0; c < parameters.Length; c++)
                {
                    parameters[c] = command.Parameters.Add(new SqliteParameter(statement.Name(c, row), null));
                }

                bind(parameters, items[at + row]);
            }

            command.ExecuteNonQuery();
            at += rows;
        }
    }

    /// <summary>One table's multi-row INSERT text for each chunk size, and its parameter names.</summary>
    private sealed class RowStatement
    {
        private readonly string[] _sql;
        private readonly string[][] _names;

        public RowStatement(string prefix, string[] columns, string suffix)
        {
            Columns = columns;
            _names = [.. columns.Select(c => Enumerable.Range(0, RowChunk).Select(r => $"{c}{r}").ToArray())];
            _sql = new string[RowChunk + 1];
            foreach (int rows in new[] { 1, RowChunk })
            {
                _sql[rows] = prefix
                    + string.Join(", ", Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", columns.Select((_, c) => _names[c][r])) + ")"))
                    + suffix;
            }
        }

        public string[] Columns { get; }

        public string Sql(int rows) => _sql[rows];

        public string Name(int column, int row) => _names[column][row];
    }
}
