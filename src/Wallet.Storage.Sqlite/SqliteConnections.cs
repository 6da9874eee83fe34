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

    /// <summary>Runs <paramref name="sql"/>; returns the number of rows it changed.</summary>
    public static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
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

    /// <summary>Whether the database of <paramref name="connection"/> has a table named <paramref name="table"/>.</summary>
    public static bool HasTable(SqliteConnection connection, string table) =>
        Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $t", ("$t", table)) is not 0L;

    /// <summary>Whether <paramref name="table"/> has a column named <paramref name="column"/>.</summary>
    public static bool HasColumn(SqliteConnection connection, string table, string column) =>
        Scalar(connection, "SELECT COUNT(*) FROM pragma_table_info($t) WHERE name = $c", ("$t", table), ("$c", column)) is not 0L;

    /// <summary>
    /// A command for <paramref name="sql"/> with no parameters, outside any <see cref="SqliteTransaction"/> object: the
    /// connection's prepared one when it keeps them (connections from <see cref="Open"/>), else a new one. Give it back
    /// with <see cref="Return"/>, saying whether it ran without failing.
    /// </summary>
    public static SqliteCommand Rent(SqliteConnection connection, string sql)
    {
        if (!Prepared.TryGetValue(connection, out var prepared) || !prepared.Remove(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
        }

        command.Parameters.Clear();
        return command;
    }

    /// <summary>Keeps <paramref name="command"/> prepared for its connection's next <see cref="Rent"/> of the same SQL, or disposes it (a failed run, a connection that keeps none, a full cache, or a nested run's second command).</summary>
    public static void Return(SqliteConnection connection, SqliteCommand command, bool succeeded)
    {
        if (!succeeded || !Prepared.TryGetValue(connection, out var prepared) || prepared.Count >= MaxPrepared || !prepared.TryAdd(command.CommandText, command))
        {
            command.Dispose();
        }
    }

    // Runs sql through a rented command (Rent) with parameters bound (null as SQL NULL).
    private static T Run<T>(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters, Func<SqliteCommand, T> run)
    {
        var command = Rent(connection, sql);
        bool succeeded = false;
        try
        {
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            var result = run(command);
            succeeded = true;
            return result;
        }
        finally
        {
            Return(connection, command, succeeded);
        }
    }

    /// <summary>
    /// Runs <paramref name="sql"/> once per row, prepared once, with each row's two blobs bound to <paramref name="first"/>
    /// and <paramref name="second"/> and <paramref name="parameters"/> bound for all rows.
    /// </summary>
    public static void InsertBlobPairs(
        SqliteConnection connection,
        string sql,
        string first,
        string second,
        IEnumerable<(byte[] First, byte[] Second)> rows,
        params (string Name, object? Value)[] parameters) =>
        Run(connection, sql, parameters, command =>
        {
            var firstParameter = command.Parameters.Add(first, SqliteType.Blob);
            var secondParameter = command.Parameters.Add(second, SqliteType.Blob);
            foreach (var (firstValue, secondValue) in rows)
            {
                firstParameter.Value = firstValue;
                secondParameter.Value = secondValue;
                command.ExecuteNonQuery();
            }

            return true;
        });

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
