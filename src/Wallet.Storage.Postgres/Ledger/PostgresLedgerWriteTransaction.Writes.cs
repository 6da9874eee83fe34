using static Wallet.Storage.Postgres.Ledger.PostgresLedgerSql;
using static Wallet.Storage.Postgres.Ledger.PostgresLedgerStore;

namespace Wallet.Storage.Postgres.Ledger;

// The writes: append, commit, archive and rebuild, and the partitions and cached values they keep up to date.
internal sealed partial class PostgresLedgerWriteTransaction
{
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
                commands.Add(KeysetRows(
                    """
                    INSERT INTO keysets (keyset_id, issued, deposited, swapped_in, expired, reversed, is_expired)
                    SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::boolean[])
                    ON CONFLICT (keyset_id) DO UPDATE SET
                        issued = keysets.issued + excluded.issued,
                        deposited = keysets.deposited + excluded.deposited,
                        swapped_in = keysets.swapped_in + excluded.swapped_in,
                        expired = keysets.expired + excluded.expired,
                        reversed = keysets.reversed + excluded.reversed,
                        is_expired = keysets.is_expired OR excluded.is_expired
                    """,
                    effects));
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
                batch.BatchCommands.Add(new NpgsqlBatchCommand(BeginSql));
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

            if (_outcomes.Count > 1)
            {
                batch.BatchCommands.Add(OutcomeRows());
            }

            foreach (var record in _outcomes.Count == 1 ? _outcomes : [])
            {
                batch.BatchCommands.Add(BatchCommand(
                    "INSERT INTO outcomes (idempotency_key, request_hash, status, entry_seq, conflicts) VALUES ($1, $2, $3, $4, $5)",
                    record.Key.Value, record.RequestHash.ToArray(), (short)record.Status, record.EntrySequence is long s ? s : DBNull.Value, CoinConflict.EncodeList(record.Conflicts)));
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand(CommitSql));

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
            store.Cache.Clear();
            throw new LedgerStoreException($"An outcome is already stored under '{string.Join("', '", _outcomes.Select(o => o.Key))}'.", ex);
        }
        catch (NpgsqlException ex)
        {
            // Whether the commit landed is unknowable: forget what this process believed.
            _failed = true;
            store.Cache.Clear();
            throw Fail(ex);
        }

        // Inside an operation nothing is kept until the operation commits, and nothing at all if it rolls back.
        if (operation is null)
        {
            PublishCommitted();
        }
        else
        {
            operation.AfterCommit(PublishCommitted);
        }
    }

    // What this process learned from a committed write: the cached values at the new head, and the partitions created.
    private void PublishCommitted()
    {
        if (_invalidatesCache || _startHead is null || _head is null)
        {
            store.Cache.Clear();
        }
        else
        {
            store.Cache.Publish(_startHead, _head, _balances, _keysets, _staleAccounts, _staleKeysets);
        }

        foreach (var keyset in _createdPartitions)
        {
            store.LivePartitions[keyset] = true;
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

            batch.BatchCommands.Add(KeysetRows(
                "INSERT INTO keysets (keyset_id, issued, deposited, swapped_in, expired, reversed, is_expired) SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::boolean[])",
                totals));
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw Fail(ex);
        }
    }

    // Carries the known values past the entry just written, as the upserts did on the server.
    private void Track(IEnumerable<(LedgerAccount Account, long Delta)> postings, IEnumerable<KeysetTotals> effects)
    {
        foreach (var (account, delta) in postings)
        {
            if ((_balances.TryGetValue(account, out long before) || (!_staleAccounts.Contains(account) && store.Cache.TryGetBalance(_startHead!, account, out before)))
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
            if (_keysets.TryGetValue(effect.Keyset, out var known) || (!_staleKeysets.Contains(effect.Keyset) && store.Cache.TryGetKeyset(_startHead!, effect.Keyset, out known)))
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
                    before.Reversed + effect.Reversed,
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
        if (store.LivePartitions.ContainsKey(keyset) || _createdPartitions.Contains(keyset))
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
}
