namespace Wallet.Storage.Postgres.Ledger;

/// <summary>The statement builders and server error classification the ledger's write transaction shares.</summary>
internal static class PostgresLedgerSql
{
    internal const string UniqueViolation = "23505";
    internal const string NoPartitionForRow = "23514";
    internal const string HeadMoved = "WCL01";

    internal static bool IsConflict(PostgresException ex) =>
        ex.SqlState is HeadMoved or NoPartitionForRow
        || (ex.SqlState == UniqueViolation && (ex.TableName is "outcomes" or "journal" || ex.TableName?.StartsWith("spent_coins", StringComparison.Ordinal) == true));

    internal static string ConflictMessage(PostgresException ex) => ex.SqlState switch
    {
        HeadMoved => "Another writer committed since this process last did.",
        NoPartitionForRow => "A coin belongs to a keyset whose spent set is archived.",
        _ when ex.TableName == "outcomes" || ex.TableName == "journal" => "An outcome is already stored under this idempotency key.",
        _ => "A coin of the batch is already spent.",
    };

    internal static NpgsqlBatchCommand UpsertBalances(IReadOnlyList<(LedgerAccount Account, long Delta)> postings) =>
        BatchCommand(
            "INSERT INTO balances (kind, key, balance) SELECT * FROM unnest($1::smallint[], $2::text[], $3::bigint[]) ON CONFLICT (kind, key) DO UPDATE SET balance = balances.balance + excluded.balance",
            postings.Select(p => (short)p.Account.Kind).ToArray(),
            postings.Select(p => p.Account.Key).ToArray(),
            postings.Select(p => p.Delta).ToArray());

    // Keyset counters as the seven columns $1..$7 a keyset statement unnests: id, issued, deposited, swapped in, expired, reversed, is expired.
    internal static NpgsqlBatchCommand KeysetRows(string sql, IReadOnlyList<KeysetTotals> totals) =>
        BatchCommand(
            sql,
            totals.Select(e => e.Keyset.Bytes.ToArray()).ToArray(),
            totals.Select(e => e.Issued.MinorUnits).ToArray(),
            totals.Select(e => e.Deposited.MinorUnits).ToArray(),
            totals.Select(e => e.SwappedIn.MinorUnits).ToArray(),
            totals.Select(e => e.Expired.MinorUnits).ToArray(),
            totals.Select(e => e.Reversed.MinorUnits).ToArray(),
            totals.Select(e => e.IsExpired).ToArray());

    internal static NpgsqlBatchCommand BatchCommand(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
