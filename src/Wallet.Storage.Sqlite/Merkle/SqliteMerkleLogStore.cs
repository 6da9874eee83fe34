namespace Wallet.Storage.Sqlite.Merkle;

/// <summary>
/// An <see cref="IMerkleLogStore"/> in a SQLite file: node hashes keyed by (level, index), a per-level count so a
/// batch can be checked to continue every level, and one row with the leaf count. Each append is one transaction
/// whose compare-and-set on the leaf count makes it all-or-nothing across processes.
/// </summary>
/// <remarks>One connection guarded by a lock: SQLite serialises writers anyway, and WAL lets other processes read.</remarks>
public sealed class SqliteMerkleLogStore : IMerkleLogStore, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS merkle_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS merkle_levels (level INTEGER PRIMARY KEY, count INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS merkle_head (id INTEGER PRIMARY KEY CHECK (id = 0), leaf_count INTEGER NOT NULL);
        INSERT OR IGNORE INTO merkle_head (id, leaf_count) VALUES (0, 0);
        """;

    private readonly StoreConnection _connection;

    private SqliteMerkleLogStore(StoreConnection connection) => _connection = connection;

    /// <summary>Opens (creating if needed) a Merkle log database.</summary>
    /// <param name="path">The database file.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="SqliteException">The file cannot be opened or is not a database.</exception>
    public static SqliteMerkleLogStore Open(string path) =>
        new(new StoreConnection(SqliteConnections.OpenStore(path, Schema), typeof(SqliteMerkleLogStore)));

    /// <summary>The log store of a <see cref="SqliteSchemeDatabase"/>: its tables in the database's file, its appends in the database's operations.</summary>
    internal static SqliteMerkleLogStore OpenShared(SqliteSharedWriter shared)
    {
        SqliteConnections.Execute(shared.Connection, Schema);
        return new(new StoreConnection(shared));
    }

    /// <inheritdoc/>
    public ValueTask<ulong> GetLeafCountAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_connection.Read(cancellationToken, c => (ulong)(long)SqliteConnections.Scalar(c, "SELECT leaf_count FROM merkle_head WHERE id = 0")!));

    /// <inheritdoc/>
    public ValueTask ReadNodesAsync(ReadOnlyMemory<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken)
    {
        if (destination.Length != ids.Length)
        {
            throw new ArgumentException("The destination must have one slot per node id.", nameof(destination));
        }

        _connection.Read<bool>(cancellationToken, c =>
        {
            using var command = SqliteConnections.Command(c, null, "SELECT hash FROM merkle_nodes WHERE level = $level AND idx = $idx");
            var level = command.Parameters.Add("$level", SqliteType.Integer);
            var index = command.Parameters.Add("$idx", SqliteType.Integer);
            for (int i = 0; i < ids.Length; i++)
            {
                var id = ids.Span[i];
                level.Value = id.Level;
                index.Value = (long)id.Index;
                if (command.ExecuteScalar() is not byte[] hash)
                {
                    throw new KeyNotFoundException($"Merkle node {id} has not been written.");
                }

                destination.Span[i] = new MerkleHash(hash);
            }

            return true;
        });

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAppendAsync(ulong expectedLeafCount, ulong newLeafCount, ReadOnlyMemory<MerkleNode> nodes, CancellationToken cancellationToken)
    {
        if (newLeafCount <= expectedLeafCount)
        {
            throw new ArgumentException("A batch adds at least one leaf.", nameof(newLeafCount));
        }

        return _connection.WriteAsync(cancellationToken, c => Append(c, expectedLeafCount, newLeafCount, nodes.Span));
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _connection.Dispose();

    private static bool Append(SqliteConnection connection, ulong expectedLeafCount, ulong newLeafCount, ReadOnlySpan<MerkleNode> nodes)
    {
        // Runs whole or not at all (StoreConnection.WriteAsync): a throw below undoes the compare-and-set too.
        using (var cas = SqliteConnections.Command(
            connection,
            null,
            "UPDATE merkle_head SET leaf_count = $new WHERE id = 0 AND leaf_count = $expected",
            ("$new", (long)newLeafCount),
            ("$expected", (long)expectedLeafCount)))
        {
            if (cas.ExecuteNonQuery() != 1)
            {
                return false;
            }
        }

        var next = new long[MerkleNodeId.MaxLevels];
        using (var counts = connection.CreateCommand())
        {
            counts.CommandText = "SELECT level, count FROM merkle_levels";
            using var reader = counts.ExecuteReader();
            while (reader.Read())
            {
                next[reader.GetInt32(0)] = reader.GetInt64(1);
            }
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO merkle_nodes (level, idx, hash) VALUES ($level, $idx, $hash)";
        var level = insert.Parameters.Add("$level", SqliteType.Integer);
        var index = insert.Parameters.Add("$idx", SqliteType.Integer);
        var hash = insert.Parameters.Add("$hash", SqliteType.Blob);
        foreach (var node in nodes)
        {
            if ((long)node.Id.Index != next[node.Id.Level])
            {
                throw new ArgumentException($"Node {node.Id} does not continue level {node.Id.Level}.", nameof(nodes));
            }

            next[node.Id.Level]++;
            level.Value = node.Id.Level;
            index.Value = (long)node.Id.Index;
            hash.Value = node.Hash.ToArray();
            insert.ExecuteNonQuery();
        }

        // Exactly the subtrees that are complete at the new size (the IMerkleLogStore contract): level L holds
        // newLeafCount >> L nodes, so neither a node of an unfinished subtree nor a missing interior node gets in.
        for (int l = 0; l < next.Length; l++)
        {
            if ((ulong)next[l] != newLeafCount >> l)
            {
                throw new ArgumentException($"The batch must complete level {l} to exactly {newLeafCount >> l} nodes.", nameof(nodes));
            }
        }

        using var levels = connection.CreateCommand();
        levels.CommandText = "INSERT OR REPLACE INTO merkle_levels (level, count) VALUES ($level, $count)";
        var levelParameter = levels.Parameters.Add("$level", SqliteType.Integer);
        var countParameter = levels.Parameters.Add("$count", SqliteType.Integer);
        for (int l = 0; l < next.Length && next[l] > 0; l++)
        {
            levelParameter.Value = l;
            countParameter.Value = next[l];
            levels.ExecuteNonQuery();
        }

        return true;
    }
}
