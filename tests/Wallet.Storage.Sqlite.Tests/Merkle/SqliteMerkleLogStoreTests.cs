using Wallet.Crypto.Merkle;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Tests.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Merkle;

public sealed class SqliteMerkleLogStoreTests : MerkleLogStoreContract, IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly List<SqliteMerkleLogStore> _stores = [];

    protected override Task<IMerkleLogStore> CreateStoreAsync()
    {
        var store = SqliteMerkleLogStore.Open(_database.File($"merkle-{_stores.Count}.db"));
        _stores.Add(store);
        return Task.FromResult<IMerkleLogStore>(store);
    }

    [Fact]
    public async Task LogSurvivesReopening()
    {
        string path = _database.File("reopen.db");
        MerkleHash root;
        using (var store = SqliteMerkleLogStore.Open(path))
        {
            var log = new MerkleLog(store);
            for (int i = 0; i < 11; i++)
            {
                await log.AppendAsync(new byte[] { (byte)i });
            }

            root = await log.GetRootAsync(11);
        }

        using var reopened = SqliteMerkleLogStore.Open(path);
        var again = new MerkleLog(reopened);
        Assert.Equal(11UL, await again.GetSizeAsync());
        Assert.Equal(root, await again.GetRootAsync(11));
    }

    [Fact]
    public async Task FileOfTheFirstLayoutIsMovedToTheTreeTableAndKeepsItsRootsAndProofs()
    {
        // The same 37 leaves in memory and, as the first layout stored them, in a file: nodes by (level, index) and a
        // per-level count table.
        var reference = new InMemoryMerkleLogStore();
        var expected = new MerkleLog(reference);
        for (int i = 0; i < 37; i++)
        {
            await expected.AppendAsync(new byte[] { (byte)i, 7 });
        }

        string path = _database.File("first-layout.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE merkle_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
                CREATE TABLE merkle_levels (level INTEGER PRIMARY KEY, count INTEGER NOT NULL);
                CREATE TABLE merkle_head (id INTEGER PRIMARY KEY CHECK (id = 0), leaf_count INTEGER NOT NULL);
                INSERT INTO merkle_head (id, leaf_count) VALUES (0, 37);
                """;
            create.ExecuteNonQuery();
            for (int level = 0; 37 >> level > 0; level++)
            {
                var ids = Enumerable.Range(0, 37 >> level).Select(i => new MerkleNodeId(level, (ulong)i)).ToArray();
                var hashes = new MerkleHash[ids.Length];
                await reference.ReadNodesAsync(ids, hashes, CancellationToken.None);
                for (int i = 0; i < ids.Length; i++)
                {
                    using var insert = connection.CreateCommand();
                    insert.CommandText = "INSERT INTO merkle_nodes (level, idx, hash) VALUES ($l, $i, $h)";
                    insert.Parameters.AddWithValue("$l", level);
                    insert.Parameters.AddWithValue("$i", i);
                    insert.Parameters.AddWithValue("$h", hashes[i].ToArray());
                    insert.ExecuteNonQuery();
                }

                using var count = connection.CreateCommand();
                count.CommandText = "INSERT INTO merkle_levels (level, count) VALUES ($l, $c)";
                count.Parameters.AddWithValue("$l", level);
                count.Parameters.AddWithValue("$c", 37 >> level);
                count.ExecuteNonQuery();
            }
        }

        using (var store = SqliteMerkleLogStore.Open(path))
        {
            var moved = new MerkleLog(store);
            Assert.Equal(37UL, await moved.GetSizeAsync());
            foreach (ulong size in new ulong[] { 1, 2, 16, 31, 37 })
            {
                Assert.Equal(await expected.GetRootAsync(size), await moved.GetRootAsync(size));
                Assert.Equal(await expected.GetInclusionProofAsync(size - 1, 37), await moved.GetInclusionProofAsync(size - 1, 37));
            }

            // Appends continue every level where the first layout left it.
            for (int i = 37; i < 70; i++)
            {
                await expected.AppendAsync(new byte[] { (byte)i, 7 });
                await moved.AppendAsync(new byte[] { (byte)i, 7 });
            }

            Assert.Equal(await expected.GetRootAsync(70), await moved.GetRootAsync(70));
            Assert.Equal(await expected.GetConsistencyProofAsync(37, 70), await moved.GetConsistencyProofAsync(37, 70));
        }

        Assert.Equal(0L, RawFile.Scalar(path, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('merkle_nodes', 'merkle_levels')"));
    }

    [Fact]
    public void NodeKeysAreUniqueAndFollowTheOrderOfAppends()
    {
        // Every node of a 4096-leaf tree, in the order appends complete them (a leaf, then the subtrees it closes, lowest
        // first): the keys must rise strictly in that order, so each append writes at the right edge of the table.
        var order = new List<MerkleNodeId>();
        for (ulong leaf = 0; leaf < 4096; leaf++)
        {
            order.Add(new MerkleNodeId(0, leaf));
            for (int level = 1; ((leaf + 1) & ((1UL << level) - 1)) == 0; level++)
            {
                order.Add(new MerkleNodeId(level, ((leaf + 1) >> level) - 1));
            }
        }

        var keys = order.Select(id => SqliteMerkleLogStore.Key(id)!.Value).ToList();
        Assert.Equal(2 * 4096 - 1, keys.Count);
        Assert.True(keys.Zip(keys.Skip(1)).All(pair => pair.First < pair.Second));

        // The largest tree this store holds, and the first node past it.
        Assert.NotNull(SqliteMerkleLogStore.Key(new MerkleNodeId(0, (1UL << 57) - 1)));
        Assert.Null(SqliteMerkleLogStore.Key(new MerkleNodeId(0, 1UL << 57)));
        Assert.NotNull(SqliteMerkleLogStore.Key(new MerkleNodeId(3, (1UL << 54) - 1)));
        Assert.Null(SqliteMerkleLogStore.Key(new MerkleNodeId(3, 1UL << 54)));
        Assert.Null(SqliteMerkleLogStore.Key(new MerkleNodeId(57, 0)));
    }

    public void Dispose()
    {
        foreach (var s in _stores)
        {
            s.Dispose();
        }

        _database.Dispose();
    }
}
