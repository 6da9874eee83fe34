namespace Wallet.Storage.Sqlite.Ledger;

// A payroll batch (docs/PROTOCOL.md 5.21): a lookup of the batch's keys, the inserts of its entries and outcomes, and
// one balance upsert per account for the batch's net change, all in the writer's one transaction. The effect is
// exactly that of AppendAsync and RecordOutcomeAsync line by line. Every statement is prepared once on the writer
// connection and bound by position (PreparedStatement): single rows, since without per-name binding a multi-row
// statement no longer saves anything measurable.
internal sealed partial class SqliteLedgerWriteTransaction
{
    private const string OutcomeLookupSql = "SELECT request_hash, status, entry_seq, conflicts FROM outcomes WHERE idempotency_key = ?1";

    private const string BalanceLookupSql = "SELECT balance FROM balances WHERE kind = ?1 AND key = ?2";

    private const string JournalInsertSql = "INSERT INTO journal (seq, idempotency_key, hash, body) VALUES (?1, ?2, ?3, ?4)";

    private const string OutcomeInsertSql = "INSERT INTO outcomes (idempotency_key, request_hash, status, entry_seq, conflicts) VALUES (?1, ?2, ?3, ?4, ?5)";

    private const string BalanceUpsertSql = "INSERT INTO balances (kind, key, balance) VALUES (?1, ?2, ?3) ON CONFLICT (kind, key) DO UPDATE SET balance = balance + excluded.balance";

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
            var lookup = store.WriterStatement(OutcomeLookupSql);
            var found = new Dictionary<IdempotencyKey, IdempotencyRecord>();
            foreach (var (value, key) in byValue)
            {
                try
                {
                    lookup.Bind(1, value);
                    if (lookup.Read())
                    {
                        long status = lookup.Integer(1);
                        if (!Enum.IsDefined((LedgerStatus)status) || !CoinConflict.TryDecodeList(lookup.Blob(3), out var conflicts))
                        {
                            throw new LedgerStoreException($"The stored outcome of '{key}' is malformed.");
                        }

                        found[key] = new IdempotencyRecord(key, lookup.Blob(0), (LedgerStatus)status, lookup.IsNull(2) ? null : lookup.Integer(2), conflicts);
                    }
                }
                finally
                {
                    lookup.Reset();
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
            var lookup = store.WriterStatement(BalanceLookupSql);
            foreach (var account in balances.Keys.ToArray())
            {
                try
                {
                    lookup.Bind(1, (int)account.Kind);
                    lookup.Bind(2, account.Key);
                    if (lookup.Read())
                    {
                        balances[account] = lookup.Integer(0);
                    }
                }
                finally
                {
                    lookup.Reset();
                }
            }

            return (IReadOnlyDictionary<LedgerAccount, long>)balances;
        });
    }

    public ValueTask AppendBatchAsync(IReadOnlyList<JournalEntry> entries, IReadOnlyList<IdempotencyRecord> outcomes, CancellationToken cancellationToken)
    {
        JournalBatch.RequireItems(entries, outcomes);

        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_finished, this);
        return Failing(cancellationToken, () =>
        {
            var (_, net) = JournalBatch.Chain(GetHeadAsync(cancellationToken).Result, entries);

            var journal = store.WriterStatement(JournalInsertSql);
            foreach (var entry in entries)
            {
                journal.Bind(1, entry.Sequence);
                journal.Bind(2, entry.IdempotencyKey.Value);
                journal.Bind(3, entry.Hash.Bytes);
                journal.Bind(4, entry.Encode());
                journal.Execute();
            }

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

            var balance = store.WriterStatement(BalanceUpsertSql);
            foreach (var (account, change) in changes)
            {
                balance.Bind(1, (int)account.Kind);
                balance.Bind(2, account.Key);
                balance.Bind(3, change);
                balance.Execute();
            }

            try
            {
                var outcome = store.WriterStatement(OutcomeInsertSql);
                foreach (var record in outcomes)
                {
                    outcome.Bind(1, record.Key.Value);
                    outcome.Bind(2, record.RequestHash.Span);
                    outcome.Bind(3, (int)record.Status);
                    if (record.EntrySequence is long sequence)
                    {
                        outcome.Bind(4, sequence);
                    }
                    else
                    {
                        outcome.BindNull(4);
                    }

                    outcome.Bind(5, CoinConflict.EncodeList(record.Conflicts));
                    outcome.Execute();
                }
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new LedgerStoreException("An outcome of the batch is already stored under its key.", ex);
            }

            return true;
        });
    }
}
