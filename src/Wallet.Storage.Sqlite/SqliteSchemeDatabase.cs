namespace Wallet.Storage.Sqlite;

/// <summary>
/// The scheme's whole state in one SQLite file (WAL, <c>synchronous=FULL</c>): the ledger, the scheme store and the
/// Merkle log, sharing one writer connection, so that each scheme operation commits its journal entry, its scheme
/// records and its log leaf in one transaction (<see cref="ISchemeTransactions"/>). Pass the database itself as the
/// scheme's <c>Transactions</c>, and its three stores as the scheme's stores.
/// </summary>
/// <remarks>
/// docs/architecture.md "One transaction per operation"; docs/operations.md "One database file". Readers outside an
/// operation use pooled connections and see the last committed state. <see cref="ImportSeparateFilesAsync"/> moves a
/// scheme kept in the three files of earlier releases (ledger.db, scheme.db, log.db) into one database.
/// </remarks>
public sealed class SqliteSchemeDatabase : ISchemeTransactions, IAsyncDisposable, IDisposable
{
    /// <summary>The file name a data directory gives the database.</summary>
    public const string DefaultFileName = "walletcore.db";

    /// <summary>The files of earlier releases, one per store, in a data directory: ledger, scheme store, Merkle log.</summary>
    public static IReadOnlyList<string> SeparateFileNames { get; } = ["ledger.db", "scheme.db", "log.db"];

    private readonly SqliteSharedWriter _writer;

    private SqliteSchemeDatabase(string path, SqliteSharedWriter writer, SqliteLedgerStore ledger, SqliteSchemeStore scheme, SqliteMerkleLogStore log)
    {
        (Path, _writer, Ledger, Scheme, Log) = (path, writer, ledger, scheme, log);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The ledger's store; its writes join the running operation.</summary>
    public SqliteLedgerStore Ledger { get; }

    /// <summary>The scheme store; its writes join the running operation.</summary>
    public SqliteSchemeStore Scheme { get; }

    /// <summary>The Merkle log's store; its appends join the running operation.</summary>
    public SqliteMerkleLogStore Log { get; }

    /// <summary>Opens (creating if needed) a scheme database and brings every store's schema up to date.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="cancellationToken">Cancels before the file is opened.</param>
    /// <returns>The database; dispose it to close the file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="LedgerStoreException">The file cannot be opened, is not a database, or has a newer ledger schema.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<SqliteSchemeDatabase> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        cancellationToken.ThrowIfCancellationRequested();
        string readers = SqliteConnections.Pooled(path);
        SqliteConnection connection;
        try
        {
            connection = SqliteConnections.Open(path);
        }
        catch (SqliteException ex)
        {
            throw new LedgerStoreException($"Cannot open the scheme database: {ex.Message}", ex);
        }

        var writer = new SqliteSharedWriter(connection, readers);
        try
        {
            var ledger = SqliteLedgerStore.OpenShared(writer, readers);
            var scheme = SqliteSchemeStore.OpenShared(writer);
            var log = SqliteMerkleLogStore.OpenShared(writer);
            return Task.FromResult(new SqliteSchemeDatabase(path, writer, ledger, scheme, log));
        }
        catch (SqliteException ex)
        {
            writer.Dispose();
            throw new LedgerStoreException($"Cannot open the scheme database: {ex.Message}", ex);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the scheme database of a data directory (<see cref="DefaultFileName"/>), first moving a scheme kept there in
    /// the separate files of earlier releases into it (<see cref="ImportSeparateFilesAsync"/>): the old files are then
    /// renamed with the suffix <c>.imported</c> and never read again.
    /// </summary>
    /// <param name="directory">The data directory.</param>
    /// <param name="cancellationToken">Cancels before the import or the open.</param>
    /// <returns>The database.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    /// <exception cref="LedgerStoreException">
    /// A file cannot be opened or imported, or the directory holds some but not all of the separate files (and no
    /// database): the directory is left as it was.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<SqliteSchemeDatabase> OpenDirectoryAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string path = System.IO.Path.Combine(directory, DefaultFileName);
        string[] separate = [.. SeparateFileNames.Select(name => System.IO.Path.Combine(directory, name))];
        if (!File.Exists(path) && separate.Any(File.Exists) && !separate.All(File.Exists))
        {
            // Part of an earlier release's scheme: opening an empty database beside it would start the scheme afresh
            // and leave its ledger or log unread.
            throw new LedgerStoreException($"{directory} holds {string.Join(" and ", SeparateFileNames.Where(n => File.Exists(System.IO.Path.Combine(directory, n))))} of an earlier release but not all of {string.Join(", ", SeparateFileNames)}: restore the missing file before the scheme can be imported into {DefaultFileName}.");
        }

        if (!File.Exists(path) && separate.All(File.Exists))
        {
            await ImportSeparateFilesAsync(separate[0], separate[1], separate[2], path, cancellationToken).ConfigureAwait(false);
            foreach (string old in separate)
            {
                foreach (string suffix in new[] { "", "-wal", "-shm" })
                {
                    if (File.Exists(old + suffix))
                    {
                        File.Move(old + suffix, old + suffix + ".imported", overwrite: true);
                    }
                }
            }
        }

        return await OpenAsync(path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies a scheme kept in three files (the ledger's, the scheme store's and the Merkle log's, as earlier releases
    /// kept it) into a new database at <paramref name="path"/>. Each old file is first opened with its own store, which
    /// brings its schema up to date; the copy is written to a temporary file beside <paramref name="path"/>, committed
    /// in one transaction and then renamed into place, so a crash leaves either no database or the whole one. The old
    /// files are not changed beyond their schema update.
    /// </summary>
    /// <param name="ledgerPath">The ledger's file.</param>
    /// <param name="schemePath">The scheme store's file.</param>
    /// <param name="logPath">The Merkle log's file.</param>
    /// <param name="path">The new database; must not exist.</param>
    /// <param name="cancellationToken">Cancels before the copy commits.</param>
    /// <returns>A task that completes when the database is in place.</returns>
    /// <exception cref="ArgumentNullException">A path is null.</exception>
    /// <exception cref="ArgumentException">A path is empty, or <paramref name="path"/> exists already.</exception>
    /// <exception cref="FileNotFoundException">An old file does not exist.</exception>
    /// <exception cref="LedgerStoreException">An old file cannot be read as its store; nothing is created.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing is created.</exception>
    public static async Task ImportSeparateFilesAsync(string ledgerPath, string schemePath, string logPath, string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerPath);
        ArgumentException.ThrowIfNullOrEmpty(schemePath);
        ArgumentException.ThrowIfNullOrEmpty(logPath);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            throw new ArgumentException($"The database {path} exists already.", nameof(path));
        }

        foreach (string old in new[] { ledgerPath, schemePath, logPath })
        {
            if (!File.Exists(old))
            {
                throw new FileNotFoundException("A file of the scheme to import does not exist.", old);
            }
        }

        // Each store brings its own file up to date (and refuses one it cannot read) before anything is copied.
        await (await SqliteLedgerStore.OpenAsync(ledgerPath, cancellationToken).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        RunAndClose(() => SqliteSchemeStore.Open(schemePath), "scheme store");
        RunAndClose(() => SqliteMerkleLogStore.Open(logPath), "Merkle log");

        string temporary = path + ".importing";
        foreach (string suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(temporary + suffix);
        }

        try
        {
            await (await OpenAsync(temporary, cancellationToken).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            using (var connection = SqliteConnections.Open(temporary))
            {
                Copy(connection, [(ledgerPath, "old_ledger"), (schemePath, "old_scheme"), (logPath, "old_log")], cancellationToken);
            }

            ClearPools(temporary);
            File.Move(temporary, path);
        }
        catch (SqliteException ex)
        {
            throw new LedgerStoreException($"Cannot import the scheme's files: {ex.Message}", ex);
        }
        finally
        {
            ClearPools(temporary);
            foreach (string suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(temporary + suffix);
            }
        }
    }

    /// <inheritdoc/>
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        _writer.RunAsync(operation, cancellationToken);

    /// <summary>Closes the file; the stores fail with <see cref="ObjectDisposedException"/> afterwards.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the file; the stores fail with <see cref="ObjectDisposedException"/> afterwards.</summary>
    public void Dispose()
    {
        Ledger.Dispose();
        Scheme.Dispose();
        Log.Dispose();
        _writer.Dispose();
    }

    // Every table of every old file into the table of the same name here (the scheme store's keysets table, from files
    // older than its version 5, already carries the new name after its open above), in one transaction.
    private static void Copy(SqliteConnection connection, (string Path, string Alias)[] files, CancellationToken cancellationToken)
    {
        foreach (var (file, alias) in files)
        {
            SqliteConnections.Execute(connection, $"ATTACH DATABASE $p AS {alias}", ("$p", file));
        }

        SqliteConnections.Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            foreach (var (_, alias) in files)
            {
                var tables = SqliteConnections.Rows(connection, $"SELECT name FROM {alias}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'ledger_schema'", r => r.GetString(0));
                foreach (string table in tables)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var columns = SqliteConnections.Rows(connection, $"SELECT name FROM pragma_table_info('{table}', '{alias}')", r => r.GetString(0));
                    var here = SqliteConnections.Rows(connection, $"SELECT name FROM pragma_table_info('{table}', 'main')", r => r.GetString(0));
                    if (here.Count == 0 || !columns.All(here.Contains))
                    {
                        throw new LedgerStoreException($"Table {table} of {alias[4..]} file has no counterpart in the scheme database.");
                    }

                    string list = string.Join(", ", columns.Select(c => "\"" + c + "\""));
                    SqliteConnections.Execute(connection, $"INSERT OR REPLACE INTO main.\"{table}\" ({list}) SELECT {list} FROM {alias}.\"{table}\"");
                }
            }

            SqliteConnections.Execute(connection, "COMMIT");
        }
        catch
        {
            SqliteConnections.Execute(connection, "ROLLBACK");
            throw;
        }
        finally
        {
            foreach (var (_, alias) in files)
            {
                SqliteConnections.Execute(connection, $"DETACH DATABASE {alias}");
            }
        }
    }

    private static void RunAndClose(Func<IDisposable> open, string what)
    {
        try
        {
            open().Dispose();
        }
        catch (SqliteException ex)
        {
            throw new LedgerStoreException($"Cannot read the {what}'s file: {ex.Message}", ex);
        }
    }

    private static void ClearPools(string path)
    {
        using var pooled = new SqliteConnection(SqliteConnections.Pooled(path));
        SqliteConnection.ClearPool(pooled);
    }
}
