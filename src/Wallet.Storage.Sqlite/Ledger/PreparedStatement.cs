using SQLitePCL;

namespace Wallet.Storage.Sqlite.Ledger;

/// <summary>
/// One statement prepared once on the store's writer connection and run many times, its parameters bound by position.
/// Microsoft.Data.Sqlite binds every parameter by name on each execution and allocates a parameter object per value;
/// for a payroll batch (thousands of single-row writes and lookups) that binding was the largest cost after SQLite's
/// own work (docs/benchmarks.md, "Payroll batches"). It runs inside whatever transaction the connection holds.
/// </summary>
/// <remarks>
/// A failure surfaces as a <see cref="SqliteException"/> carrying SQLite's result codes, exactly as a
/// <see cref="SqliteCommand"/> would report it, so the callers' error mapping is unchanged. The statement is always
/// reset after a run (also after a failure), so it can be run again at once.
/// </remarks>
internal sealed class PreparedStatement : IDisposable
{
    private readonly sqlite3 _connection;
    private readonly sqlite3_stmt _statement;

    public PreparedStatement(SqliteConnection connection, string sql)
    {
        _connection = connection.Handle ?? throw new InvalidOperationException("The ledger's writer connection is not open.");
        int rc = raw.sqlite3_prepare_v3(_connection, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, string value) => Check(raw.sqlite3_bind_text(_statement, index, value));

    public void Bind(int index, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_blob(_statement, index, value));

    public void BindNull(int index) => Check(raw.sqlite3_bind_null(_statement, index));

    /// <summary>Runs a statement that returns no rows, then resets it.</summary>
    public void Execute()
    {
        try
        {
            int rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                throw Error(rc);
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Steps a query to its next row: false at its end. The caller resets it (<see cref="Reset"/>) in a finally.</summary>
    public bool Read()
    {
        int rc = raw.sqlite3_step(_statement);
        return rc switch
        {
            raw.SQLITE_ROW => true,
            raw.SQLITE_DONE => false,
            _ => throw Error(rc),
        };
    }

    public void Reset() => raw.sqlite3_reset(_statement);

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    // The column types are checked, as SqliteLedgerReadTransaction.Integer and Blob check them: a value of another type
    // is a damaged database, never silently converted.
    public long Integer(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_INTEGER
        ? raw.sqlite3_column_int64(_statement, column)
        : throw new LedgerStoreException("A stored value that must be an integer is not one.");

    public byte[] Blob(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_BLOB
        ? raw.sqlite3_column_blob(_statement, column).ToArray()
        : throw new LedgerStoreException("A stored value that must be a blob is not one.");

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    private SqliteException Error(int rc) =>
        new(raw.sqlite3_errmsg(_connection).utf8_to_string(), rc & 0xFF, raw.sqlite3_extended_errcode(_connection));
}
