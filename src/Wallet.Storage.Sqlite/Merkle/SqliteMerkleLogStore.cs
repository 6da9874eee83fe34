namespace Wallet.Storage.Sqlite.Merkle;

/// <summary>
/// An <see cref="IMerkleLogStore"/> in a SQLite file: node hashes in one table keyed by where each node's subtree ends
/// (<see cref="Key"/>), and one row with the leaf count. Each append is one transaction whose compare-and-set on the
/// leaf count makes it all-or-nothing across processes.
/// </summary>
/// <remarks>
/// One connection guarded by a lock: SQLite serialises writers anyway, and WAL lets other processes read.
/// <para>
/// The key (the last leaf a node covers, times 64, plus its level) puts every node that one append completes next to the
/// others at the right edge of one B-tree, so an append of one leaf writes one or two pages. Files written before this
/// layout kept nodes by (level, index), one run of pages per level, and a per-level count table; their nodes are moved
/// to the new table when the file is opened, in one transaction, and the count table, which always equalled the leaf
/// count shifted right by the level, is dropped (docs/benchmarks.md, ninth session).
/// </para>
/// </remarks>
public sealed class SqliteMerkleLogStore : IMerkleLogStore, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS merkle_tree (id INTEGER PRIMARY KEY, hash BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS merkle_head (id INTEGER PRIMARY KEY CHECK (id = 0), leaf_count INTEGER NOT NULL);
        INSERT OR IGNORE INTO merkle_head (id, leaf_count) VALUES (0, 0);
        """;

    // The first layout's nodes, moved into merkle_tree under the same key as Key computes; then its tables go.
    private const string MoveFirstLayout = """
        INSERT OR IGNORE INTO merkle_tree (id, hash) SELECT ((((idx + 1) << level) - 1) << 6) + level, hash FROM merkle_nodes;
        DROP TABLE merkle_nodes;
        DROP TABLE IF EXISTS merkle_levels;
        """;

    // Keys hold the last leaf in 57 bits and the level in 6.
    private const int LevelBits = 6;
    private const ulong MaxLastLeaf = (1UL << (63 - LevelBits)) - 1;

    private readonly StoreConnection _connection;

    private SqliteMerkleLogStore(StoreConnection connection) => _connection = connection;

    /// <summary>Opens (creating if needed) a Merkle log database.</summary>
    /// <param name="path">The database file.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="SqliteException">The file cannot be opened or is not a database.</exception>
    public static SqliteMerkleLogStore Open(string path)
    {
        var connection = SqliteConnections.OpenStore(path, Schema);
        try
        {
            Migrate(connection);
            return new(new StoreConnection(connection, typeof(SqliteMerkleLogStore)));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The log store of a <see cref="SqliteSchemeDatabase"/>: its tables in the database's file, its appends in the database's operations.</summary>
    internal static SqliteMerkleLogStore OpenShared(SqliteSharedWriter shared)
    {
        SqliteConnections.Execute(shared.Connection, Schema);
        Migrate(shared.Connection);
        return new(new StoreConnection(shared));
    }

    /// <summary>
    /// The row key of node <paramref name="id"/>: the index of the last leaf its subtree covers, shifted left by six bits,
    /// plus its level. Unique (one node per level ends at a given leaf) and, for the nodes one append completes, adjacent.
    /// </summary>
    /// <returns>The key, or null for a node past 2^57 leaves, which this store cannot hold.</returns>
    internal static long? Key(MerkleNodeId id)
    {
        // The last leaf is (index + 1) * 2^level - 1; anything that does not fit in 57 bits is out of range.
        if (id.Level >= 57 || id.Index > (MaxLastLeaf >> id.Level))
        {
            return null;
        }

        ulong lastLeaf = ((id.Index + 1) << id.Level) - 1;
        return (long)((lastLeaf << LevelBits) + (ulong)id.Level);
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
            var command = SqliteConnections.Rent(c, "SELECT hash FROM merkle_tree WHERE id = $id");
            bool succeeded = false;
            try
            {
                var key = command.Parameters.Add("$id", SqliteType.Integer);
                for (int i = 0; i < ids.Length; i++)
                {
                    var id = ids.Span[i];
                    key.Value = Key(id) ?? -1;
                    if (command.ExecuteScalar() is not byte[] hash)
                    {
                        throw new KeyNotFoundException($"Merkle node {id} has not been written.");
                    }

                    destination.Span[i] = new MerkleHash(hash);
                }

                succeeded = true;
                return true;
            }
            finally
            {
                SqliteConnections.Return(c, command, succeeded);
            }
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

    // A file of the first layout (merkle_nodes by level and index) moves to merkle_tree, in one transaction.
    private static void Migrate(SqliteConnection connection)
    {
        if (!SqliteConnections.HasTable(connection, "merkle_nodes"))
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        using (var move = SqliteConnections.Command(connection, transaction, MoveFirstLayout))
        {
            move.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static bool Append(SqliteConnection connection, ulong expectedLeafCount, ulong newLeafCount, ReadOnlySpan<MerkleNode> nodes)
    {
        // Runs whole or not at all (StoreConnection.WriteAsync): a throw below undoes the compare-and-set too.
        if (SqliteConnections.Execute(
            connection,
            "UPDATE merkle_head SET leaf_count = $new WHERE id = 0 AND leaf_count = $expected",
            ("$new", (long)newLeafCount),
            ("$expected", (long)expectedLeafCount)) != 1)
        {
            return false;
        }

        // Level L holds expectedLeafCount >> L nodes before the batch (checked below after every earlier append), so the
        // head is all it takes to know where each level continues.
        var next = new ulong[MerkleNodeId.MaxLevels];
        for (int l = 0; l < next.Length; l++)
        {
            next[l] = expectedLeafCount >> l;
        }

        var insert = SqliteConnections.Rent(connection, "INSERT INTO merkle_tree (id, hash) VALUES ($id, $hash)");
        bool succeeded = false;
        try
        {
            var key = insert.Parameters.Add("$id", SqliteType.Integer);
            var hash = insert.Parameters.Add("$hash", SqliteType.Blob);
            foreach (var node in nodes)
            {
                if (node.Id.Index != next[node.Id.Level])
                {
                    throw new ArgumentException($"Node {node.Id} does not continue level {node.Id.Level}.", nameof(nodes));
                }

                next[node.Id.Level]++;
                key.Value = Key(node.Id) ?? throw new ArgumentException($"Node {node.Id} lies past the 2^57 leaves this store can hold.", nameof(nodes));
                hash.Value = node.Hash.ToArray();
                insert.ExecuteNonQuery();
            }

            succeeded = true;
        }
        finally
        {
            SqliteConnections.Return(connection, insert, succeeded);
        }

        // Exactly the subtrees that are complete at the new size (the IMerkleLogStore contract): level L holds
        // newLeafCount >> L nodes, so neither a node of an unfinished subtree nor a missing interior node gets in.
        for (int l = 0; l < next.Length; l++)
        {
            if (next[l] != newLeafCount >> l)
            {
                throw new ArgumentException($"The batch must complete level {l} to exactly {newLeafCount >> l} nodes.", nameof(nodes));
            }
        }

        return true;
    }
}
