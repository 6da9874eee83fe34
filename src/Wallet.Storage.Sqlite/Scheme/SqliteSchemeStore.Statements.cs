namespace Wallet.Storage.Sqlite.Scheme;

// Contribution records and the withdrawals a statement lists (docs/PROTOCOL.md 5.23). A table of its own, created if
// missing, so no schema version is spent on it.
public sealed partial class SqliteSchemeStore
{
    private const string ContributionColumns = "ledger_key, worker, source, contributor, fund, amount, day";

    /// <inheritdoc/>
    public ValueTask PutContributionRecordsAsync(IReadOnlyList<ContributionRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
        }

        return Write(cancellationToken, c =>
        {
            using var insert = SqliteConnections.Command(
                c,
                null,
                $"INSERT OR IGNORE INTO contributions ({ContributionColumns}) VALUES ($k, $w, $s, $c, $f, $a, $d)",
                ("$k", null), ("$w", null), ("$s", null), ("$c", null), ("$f", null), ("$a", null), ("$d", null));
            foreach (var record in records)
            {
                insert.Parameters["$k"].Value = record.LedgerKey.Value;
                insert.Parameters["$w"].Value = record.Worker.Value;
                insert.Parameters["$s"].Value = (long)record.Source;
                insert.Parameters["$c"].Value = (object?)record.Contributor?.Value ?? DBNull.Value;
                insert.Parameters["$f"].Value = record.Fund;
                insert.Parameters["$a"].Value = record.Amount.MinorUnits;
                insert.Parameters["$d"].Value = record.RecordedAt.ToUnixTimeSeconds();
                insert.ExecuteNonQuery();
            }
        });
    }

    /// <inheritdoc/>
    public ValueTask<ContributionRecord?> GetContributionRecordAsync(IdempotencyKey ledgerKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledgerKey);
        return Read(cancellationToken, c => SqliteConnections.Rows(c, $"SELECT {ContributionColumns} FROM contributions WHERE ledger_key = $k", Contribution, ("$k", ledgerKey.Value)).FirstOrDefault());
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ContributionRecord>> ListContributionRecordsAsync(AccountId worker, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Read<IReadOnlyList<ContributionRecord>>(cancellationToken, c => SqliteConnections.Rows(
            c,
            $"SELECT {ContributionColumns} FROM contributions WHERE worker = $w AND day >= $f AND day < $t ORDER BY day, ledger_key LIMIT $l",
            Contribution,
            ("$w", worker.Value), ("$f", Ceiling(from)), ("$t", Ceiling(to)), ("$l", limit)));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<WithdrawalReceipt>> ListWithdrawalReceiptsAsync(AccountId account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Read<IReadOnlyList<WithdrawalReceipt>>(cancellationToken, c => SqliteConnections.Rows(
            c,
            "SELECT response FROM withdrawals WHERE account = $a",
            r => WithdrawalResponse.Decode((byte[])r[0]).Receipt,
            ("$a", account.Value)));
    }

    private static void CreateStatementTables(SqliteConnection connection) => SqliteConnections.Execute(connection, """
        CREATE TABLE IF NOT EXISTS contributions (ledger_key TEXT PRIMARY KEY, worker TEXT NOT NULL, source INTEGER NOT NULL, contributor TEXT, fund TEXT NOT NULL, amount INTEGER NOT NULL, day INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS contributions_worker_day ON contributions (worker, day, ledger_key);
        """);

    // "Before to" in whole seconds: a fractional end still excludes the second it falls in only past that fraction.
    private static long Ceiling(DateTimeOffset moment)
    {
        long seconds = moment.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds(seconds) < moment ? seconds + 1 : seconds;
    }

    // A row that no longer makes a valid record (edited by hand, or corrupt) is a format error, never a wrong value.
    private static ContributionRecord Contribution(SqliteDataReader r)
    {
        try
        {
            var day = DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(6));
            var record = new ContributionRecord(
                new IdempotencyKey(r.GetString(0)),
                new AccountId(r.GetString(1)),
                (ContributionSource)r.GetInt64(2),
                r.IsDBNull(3) ? null : new AccountId(r.GetString(3)),
                r.GetString(4),
                Amount.FromMinorUnits(r.GetInt64(5)),
                day);
            return record.RecordedAt == day ? record : throw new Protocol.Wire.ProtocolFormatException("A stored contribution's day is not a UTC midnight.");
        }
        catch (ArgumentException ex)
        {
            throw new Protocol.Wire.ProtocolFormatException("A stored contribution record is malformed.", ex);
        }
    }
}
