namespace Wallet.Storage.Sqlite.Ledger;

/// <summary>
/// The one write of <see cref="SqliteLedgerStore"/> at a time: <c>BEGIN IMMEDIATE</c> on the writer connection, or,
/// with no <paramref name="transaction"/>, a savepoint of the scheme operation that holds a shared database's writer.
/// </summary>
internal sealed partial class SqliteLedgerWriteTransaction(SqliteLedgerStore store, SqliteTransaction? transaction)
    : SqliteLedgerReadTransaction(store.Writer, transaction, ownsConnection: false, store.WriterCommands), ILedgerWriteTransaction
{
    private bool _finished;
    private bool _failed;
    private bool _released;

    private bool IsSavepoint => Transaction is null;

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
                AddKeysetEffect(effect);
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
            if (Transaction is { } own)
            {
                own.Commit();
            }
            else
            {
                SqliteConnections.Execute(Connection, "RELEASE ledger_write");
                _released = true;
            }

            return true;
        });
        Finish();
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            if (IsSavepoint && !_finished && !_released)
            {
                // Not committed: undo this write alone; the operation decides about the rest.
                _released = true;
                Guard(() =>
                {
                    SqliteConnections.Execute(Connection, "ROLLBACK TO ledger_write; RELEASE ledger_write");
                    return true;
                });
            }

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
                var insert = Command("INSERT INTO keysets (keyset_id, issued, deposited, swapped_in, expired, reversed, is_expired) VALUES ($id, $issued, $deposited, $swapped, $expired, $reversed, $closes)");
                ExecuteKeysetRow(insert, totals.Keyset, totals.Issued, totals.Deposited, totals.SwappedIn, totals.Expired, totals.Reversed, totals.IsExpired);
            }

            return true;
        });
    }

    // One keyset row's columns, bound the same way whether an entry adds to the totals or a restore writes them.
    private static void ExecuteKeysetRow(SqliteCommand command, KeysetId keyset, Amount issued, Amount deposited, Amount swappedIn, Amount expired, Amount reversed, bool closes)
    {
        command.Parameters.AddWithValue("$id", keyset.Bytes.ToArray());
        command.Parameters.AddWithValue("$issued", issued.MinorUnits);
        command.Parameters.AddWithValue("$deposited", deposited.MinorUnits);
        command.Parameters.AddWithValue("$swapped", swappedIn.MinorUnits);
        command.Parameters.AddWithValue("$expired", expired.MinorUnits);
        command.Parameters.AddWithValue("$reversed", reversed.MinorUnits);
        command.Parameters.AddWithValue("$closes", closes ? 1 : 0);
        command.ExecuteNonQuery();
    }

    private void AddKeysetEffect(KeysetEffect effect)
    {
        var upsert = Command(
            """
            INSERT INTO keysets (keyset_id, issued, deposited, swapped_in, expired, reversed, is_expired)
            VALUES ($id, $issued, $deposited, $swapped, $expired, $reversed, $closes)
            ON CONFLICT (keyset_id) DO UPDATE SET
                issued = issued + excluded.issued,
                deposited = deposited + excluded.deposited,
                swapped_in = swapped_in + excluded.swapped_in,
                expired = expired + excluded.expired,
                reversed = reversed + excluded.reversed,
                is_expired = max(is_expired, excluded.is_expired)
            """);
        ExecuteKeysetRow(upsert, effect.Keyset, effect.Issued, effect.Deposited, effect.SwappedIn, effect.Expired, effect.Reversed, effect.Closes);
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
                if (IsSavepoint)
                {
                    SqliteConnections.Execute(Connection, "ROLLBACK TO ledger_write; RELEASE ledger_write");
                }

                Transaction?.Dispose();
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
            store.EndWrite(IsSavepoint);
        }
    }
}
