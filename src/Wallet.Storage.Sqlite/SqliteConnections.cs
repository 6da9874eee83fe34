namespace Wallet.Storage.Sqlite;

/// <summary>Opening and plain execution shared by the protocol stores.</summary>
internal static class SqliteConnections
{
    // At most this many statements stay prepared per connection; SQL built per call (lists of varying length) beyond it
    // is prepared, run and dropped as before.
    private const int MaxPrepared = 256;

    // The statements each long-lived connection (a store's own file, the shared writer; Open below) keeps prepared, by
    // their SQL text. A statement is taken out while it runs, so a nested run of the same SQL gets a fresh one. Parsing
    // and planning a statement on every call was about a fifth of SQLite's time in the mixed load (docs/benchmarks.md,
    // ninth session). A connection is used by one flow at a time (its lock, or the writer's gate), so the dictionary
    // needs no lock of its own; closing the connection finalises the statements.
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Prepared = new();

    /// <summary>Opens (creating if needed) a store's database file and creates the tables <paramref name="schema"/> declares if they are missing.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    public static SqliteConnection OpenStore(string path, string schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var connection = Open(path);
        Execute(connection, schema);
        return connection;
    }

    /// <summary>The connection string of a pooled connection to <paramref name="path"/> (readers, and the ledger's writer).</summary>
    public static string Pooled(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            // temp_store=MEMORY keeps the sub-journal of each store write's savepoint (the page images a ROLLBACK TO
            // restores within an operation) in memory instead of a temporary file created, written and unlinked per
            // operation. It is not needed after the transaction ends, so durability is the WAL's, as before.
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;");
            Prepared.AddOrUpdate(connection, new Dictionary<string, SqliteCommand>(StringComparer.Ordinal));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static void Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        Run(connection, sql, parameters, command => command.ExecuteNonQuery());

    public static object? Scalar(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        Run(connection, sql, parameters, command => command.ExecuteScalar());

    /// <summary>Every row <paramref name="sql"/> returns, each turned into a value by <paramref name="read"/>.</summary>
    public static List<T> Rows<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters) =>
        Run(connection, sql, parameters, command =>
        {
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }

            return rows;
        });

    // Runs sql through the connection's prepared statement for it when it keeps them (Prepared), else through a command
    // of its own. A statement that failed is dropped rather than kept.
    private static T Run<T>(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters, Func<SqliteCommand, T> run)
    {
        if (!Prepared.TryGetValue(connection, out var prepared))
        {
            using var own = Command(connection, null, sql, parameters);
            return run(own);
        }

        if (!prepared.Remove(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
        }

        bool keep = false;
        try
        {
            command.Parameters.Clear();
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            var result = run(command);
            keep = prepared.Count < MaxPrepared && prepared.TryAdd(sql, command);
            return result;
        }
        finally
        {
            if (!keep)
            {
                command.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="sql"/> once per row in <paramref name="transaction"/>, prepared once, with each row's two
    /// blobs bound to <paramref name="first"/> and <paramref name="second"/> and <paramref name="parameters"/> bound for all rows.
    /// </summary>
    public static void InsertBlobPairs(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string sql,
        string first,
        string second,
        IEnumerable<(byte[] First, byte[] Second)> rows,
        params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        var firstParameter = command.Parameters.Add(first, SqliteType.Blob);
        var secondParameter = command.Parameters.Add(second, SqliteType.Blob);
        foreach (var (firstValue, secondValue) in rows)
        {
            firstParameter.Value = firstValue;
            secondParameter.Value = secondValue;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A command for <paramref name="sql"/> in <paramref name="transaction"/> (if any), with <paramref name="parameters"/> bound (null as SQL NULL).</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
