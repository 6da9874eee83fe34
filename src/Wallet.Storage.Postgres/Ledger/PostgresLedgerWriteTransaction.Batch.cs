using static Wallet.Storage.Postgres.Ledger.PostgresLedgerSql;

namespace Wallet.Storage.Postgres.Ledger;

// A payroll batch (docs/PROTOCOL.md 5.21) in a few round trips instead of a few per line: every line key looked up in
// one statement (with the BEGIN and the head lock when it comes first), every balance the batch posts to in one, and
// the entries appended with one multi-row insert, one head update and one balance upsert per account's net change.
// The effect is exactly that of the line-by-line defaults (ILedgerWriteTransaction), which an optimistic transaction,
// or a batch whose entries spend coins or change keysets, still takes.
internal sealed partial class PostgresLedgerWriteTransaction
{
    // One index probe per key (the LIMIT keeps the planner from turning a thousand probes into a scan of the table,
    // which it preferred for "= ANY(array)" at 150,000 outcomes, and which would grow with the journal).
    private const string FindOutcomesSql = """
        SELECT k.key, o.request_hash, o.status, o.entry_seq, o.conflicts FROM unnest($1::text[]) AS k(key)
        CROSS JOIN LATERAL (SELECT request_hash, status, entry_seq, conflicts FROM outcomes WHERE idempotency_key = k.key LIMIT 1) o
        """;

    private const string BalancesSql = """
        SELECT t.kind, t.key, b.balance FROM unnest($1::smallint[], $2::text[]) AS t(kind, key)
        CROSS JOIN LATERAL (SELECT balance FROM balances WHERE kind = t.kind AND key = t.key LIMIT 1) b
        """;

    private const string JournalRowsSql = "INSERT INTO journal (seq, idempotency_key, hash, body) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::bytea[])";

    public async ValueTask<IReadOnlyDictionary<IdempotencyKey, IdempotencyRecord>> FindOutcomesAsync(IReadOnlyCollection<IdempotencyKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var byValue = new Dictionary<string, IdempotencyKey>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            byValue.TryAdd(key.Value, key);
        }

        var found = new Dictionary<IdempotencyKey, IdempotencyRecord>();
        if (optimisticHead is not null)
        {
            // Each key is assumed absent and checked by the commit, as a single lookup would.
            foreach (var key in byValue.Values)
            {
                if (await FindOutcomeAsync(key, cancellationToken).ConfigureAwait(false) is { } record)
                {
                    found.Add(key, record);
                }
            }

            return found;
        }

        ObjectDisposedException.ThrowIf(_finished, this);
        try
        {
            await using var batch = new NpgsqlBatch(Connection);
            bool locking = _head is null;
            if (locking)
            {
                AddBeginAndLock(batch);
            }

            batch.BatchCommands.Add(BatchCommand(FindOutcomesSql, (object)byValue.Keys.ToArray()));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (locking)
            {
                await ReadLockedHeadAsync(reader, cancellationToken).ConfigureAwait(false);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }

            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = byValue[reader.GetString(0)];
                short status = reader.GetInt16(2);
                if (!Enum.IsDefined((LedgerStatus)status) || !CoinConflict.TryDecodeList(reader.GetFieldValue<byte[]>(4), out var conflicts))
                {
                    throw new LedgerStoreException($"The stored outcome of '{key}' is malformed.");
                }

                found[key] = new IdempotencyRecord(key, reader.GetFieldValue<byte[]>(1), (LedgerStatus)status, reader.IsDBNull(3) ? null : reader.GetInt64(3), conflicts);
            }

            return found;
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

    public async ValueTask<IReadOnlyDictionary<LedgerAccount, long>> GetBalancesAsync(IReadOnlyCollection<LedgerAccount> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var balances = new Dictionary<LedgerAccount, long>();
        var unknown = new HashSet<LedgerAccount>();
        foreach (var account in accounts)
        {
            ArgumentNullException.ThrowIfNull(account, nameof(accounts));
            if (balances.ContainsKey(account))
            {
                continue;
            }

            if (_balances.TryGetValue(account, out long known))
            {
                balances.Add(account, known);
            }
            else
            {
                unknown.Add(account);
            }
        }

        if (unknown.Count == 0)
        {
            return balances;
        }

        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var toRead = new List<LedgerAccount>();
        foreach (var account in unknown)
        {
            if (!_staleAccounts.Contains(account) && store.Cache.TryGetBalance(_startHead!, account, out long cached))
            {
                _balances[account] = cached;
                balances.Add(account, cached);
            }
            else
            {
                toRead.Add(account);
            }
        }

        if (toRead.Count == 0)
        {
            return balances;
        }

        if (optimisticHead is not null)
        {
            // Read at the start head, account by account, as a single read would.
            foreach (var account in toRead)
            {
                balances.Add(account, await GetBalanceAsync(account, cancellationToken).ConfigureAwait(false));
            }

            return balances;
        }

        try
        {
            var read = toRead.ToDictionary(a => (a.Kind, a.Key), _ => 0L);
            await using (var command = Command(BalancesSql, toRead.Select(a => (short)a.Kind).ToArray(), toRead.Select(a => a.Key).ToArray()))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    read[((LedgerAccountKind)reader.GetInt16(0), reader.GetString(1))] = reader.GetInt64(2);
                }
            }

            foreach (var account in toRead)
            {
                long balance = read[(account.Kind, account.Key)];
                _balances[account] = balance;
                balances.Add(account, balance);
            }

            return balances;
        }
        catch (NpgsqlException ex)
        {
            throw Fail(ex);
        }
    }

    public async ValueTask AppendBatchAsync(IReadOnlyList<JournalEntry> entries, IReadOnlyList<IdempotencyRecord> outcomes, CancellationToken cancellationToken)
    {
        JournalBatch.RequireItems(entries, outcomes);

        if (optimisticHead is not null || entries.Any(e => e.SpentCoins.Count > 0 || e.KeysetEffects.Count > 0))
        {
            // Partitions to create and keyset counters to carry: entry by entry.
            foreach (var entry in entries)
            {
                await AppendAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (entries.Count > 0)
        {
            await AppendPostingsOnlyAsync(entries, cancellationToken).ConfigureAwait(false);
        }

        foreach (var outcome in outcomes)
        {
            await RecordOutcomeAsync(outcome, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask AppendPostingsOnlyAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_finished, this);
        try
        {
            var (head, net) = JournalBatch.Chain(await GetHeadAsync(cancellationToken).ConfigureAwait(false), entries);

            // Each balance goes from one in-range value to another (the ledger checked every entry); a net change that
            // does not fit 64 bits (an account crossing most of the range within one batch) goes entry by entry.
            if (net.Values.Any(change => change < long.MinValue || change > long.MaxValue))
            {
                foreach (var entry in entries)
                {
                    await AppendAsync(entry, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            var changes = net.Select(n => (n.Key, (long)n.Value)).ToArray();
            await using var batch = new NpgsqlBatch(Connection);
            batch.BatchCommands.Add(BatchCommand(
                JournalRowsSql,
                entries.Select(e => e.Sequence).ToArray(),
                entries.Select(e => e.IdempotencyKey.Value).ToArray(),
                entries.Select(e => e.Hash.Bytes.ToArray()).ToArray(),
                entries.Select(e => e.Encode()).ToArray()));
            batch.BatchCommands.Add(BatchCommand("UPDATE ledger_head SET seq = $1, hash = $2", head.Sequence, head.Hash.Bytes.ToArray()));
            batch.BatchCommands.Add(UpsertBalances(changes));

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _head = head;
            Track(changes, []);
        }
        catch (NpgsqlException ex)
        {
            _failed = true;
            throw Fail(ex);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    // The outcomes a commit inserts: one statement for many (a payroll batch's), one row each otherwise.
    private NpgsqlBatchCommand OutcomeRows()
    {
        var command = new NpgsqlBatchCommand("INSERT INTO outcomes (idempotency_key, request_hash, status, entry_seq, conflicts) SELECT * FROM unnest($1::text[], $2::bytea[], $3::smallint[], $4::bigint[], $5::bytea[])");
        command.Parameters.Add(new NpgsqlParameter { Value = _outcomes.Select(o => o.Key.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = _outcomes.Select(o => o.RequestHash.ToArray()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = _outcomes.Select(o => (short)o.Status).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = _outcomes.Select(o => o.EntrySequence).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = _outcomes.Select(o => CoinConflict.EncodeList(o.Conflicts)).ToArray() });
        return command;
    }
}
