using System.Collections.Concurrent;
using System.Text;
using Npgsql;
using Wallet.Crypto.Merkle;
using Wallet.Storage.Postgres.Merkle;
using Wallet.Storage.Postgres.Tests.Server;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Postgres.Tests.Merkle;

/// <summary>The Merkle log store contract, unchanged, against a real PostgreSQL server, plus what only a shared database shows.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMerkleLogStoreTests(PostgresFixture server) : MerkleLogStoreContract, IAsyncLifetime
{
    private readonly ConcurrentBag<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public async Task TwoNodesAppendingConcurrentlyNeitherLoseNorInterleaveLeaves()
    {
        string schema = await server.NewSchemaAsync("merkle");

        // Two "nodes": each its own data source (connection pool), store and log over the one schema.
        PostgresMerkleLogStore[] stores = [await OpenAsync(schema), await OpenAsync(schema)];
        MerkleLog[] logs = [new(stores[0]), new(stores[1])];
        var entries = new ConcurrentDictionary<ulong, byte[]>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (int i = 0; i < 30; i++)
            {
                byte[] entry = Encoding.UTF8.GetBytes($"node {worker % 2} worker {worker} entry {i}");
                Assert.True(entries.TryAdd(await logs[worker % 2].AppendAsync(entry), entry));
            }
        })));

        const int Size = 240;
        Assert.Equal((ulong)Size, await stores[1].GetLeafCountAsync(CancellationToken.None));
        Assert.Equal(Enumerable.Range(0, Size).Select(i => (ulong)i), entries.Keys.Order());

        // Each worker's entries keep their order: no batch was split or reordered by another node's.
        foreach (var worker in entries.GroupBy(e => Encoding.UTF8.GetString(e.Value).Split(" entry ")[0]))
        {
            int[] order = [.. worker.OrderBy(e => e.Key).Select(e => int.Parse(Encoding.UTF8.GetString(e.Value).Split(" entry ")[1], System.Globalization.CultureInfo.InvariantCulture))];
            Assert.Equal(Enumerable.Range(0, 30), order);
        }

        MerkleHash[] leafHashes = [.. Enumerable.Range(0, Size).Select(i => MerkleTree.HashLeaf(entries[(ulong)i]))];
        MerkleHash expected = MerkleTree.ComputeRoot(leafHashes);
        Assert.Equal(expected, await logs[0].GetRootAsync(Size));
        Assert.Equal(expected, await logs[1].GetRootAsync(Size));

        // A proof served by one node verifies against the root the other node signs.
        foreach (ulong size in new ulong[] { 1, 17, 128, 199, Size })
        {
            MerkleHash root = await logs[1].GetRootAsync(size);
            Assert.Equal(MerkleTree.ComputeRoot(leafHashes.AsSpan(0, (int)size)), root);
            InclusionProof inclusion = await logs[0].GetInclusionProofAsync(size - 1, size);
            Assert.True(inclusion.Verify(leafHashes[size - 1], root));
            ConsistencyProof consistency = await logs[0].GetConsistencyProofAsync(size, Size);
            Assert.True(consistency.Verify(root, expected));
        }
    }

    [Fact]
    public async Task TheLogSurvivesReopeningAndAServerRestart()
    {
        string schema = await server.NewSchemaAsync("merkle");
        MerkleHash root;
        await using (var store = await PostgresMerkleLogStore.OpenAsync(schema))
        {
            var log = new MerkleLog(store);
            for (int i = 0; i < 11; i++)
            {
                await log.AppendAsync(new byte[] { (byte)i });
            }

            root = await log.GetRootAsync(11);
        }

        await server.RestartAsync();
        await using var reopened = await PostgresMerkleLogStore.OpenAsync(schema);
        var again = new MerkleLog(reopened);
        Assert.Equal(11UL, await again.GetSizeAsync());
        Assert.Equal(root, await again.GetRootAsync(11));
    }

    [Fact]
    public async Task OpeningMigratesOnceIntoPrefixedTablesAndRefusesANewerSchema()
    {
        string schema = await server.NewSchemaAsync("merkle");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => await (await OpenAsync(schema)).GetLeafCountAsync(CancellationToken.None)));

        Assert.Equal(1L, await server.ScalarAsync(schema, "SELECT count(*) FROM merkle_schema"));
        Assert.Equal(PostgresMerkleLogStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM merkle_schema"));
        Assert.Equal(
            "merkle_head,merkle_nodes,merkle_schema",
            await server.ScalarAsync(schema, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = current_schema()"));

        await server.ScalarAsync(schema, $"UPDATE merkle_schema SET version = {PostgresMerkleLogStore.SchemaVersion + 1}");
        await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresMerkleLogStore.OpenAsync(schema));
    }

    [Fact]
    public async Task AStoreOnABorrowedDataSourceLeavesItOpenWhenDisposed()
    {
        string schema = await server.NewSchemaAsync("merkle");
        await using var dataSource = NpgsqlDataSource.Create(schema);
        var store = PostgresMerkleLogStore.Create(dataSource);
        Assert.Equal(0L, await server.ScalarAsync(schema, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"));

        Assert.True(await store.TryAppendAsync(0, 1, new[] { new MerkleNode(new MerkleNodeId(0, 0), MerkleTree.HashLeaf([1])) }, CancellationToken.None));
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetLeafCountAsync(CancellationToken.None));
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var count = new NpgsqlCommand("SELECT leaf_count FROM merkle_head", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ABatchOfAnInvalidShapeSendsNothingEvenWhenItsCountIsStale()
    {
        string schema = await server.NewSchemaAsync("merkle");
        var store = await OpenAsync(schema);
        var log = new MerkleLog(store);
        await log.AppendAsync(new byte[] { 1 });

        // Built on 0 but claiming to continue level 0 at index 1: refused before the compare-and-set is even tried.
        var misplaced = new[] { new MerkleNode(new MerkleNodeId(0, 1), MerkleTree.HashLeaf([2])) };
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAppendAsync(0, 1, misplaced, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.TryAppendAsync(1, (ulong)long.MaxValue + 1, misplaced, CancellationToken.None));
        Assert.Equal(1UL, await store.GetLeafCountAsync(CancellationToken.None));
        Assert.Equal(1L, await server.ScalarAsync(schema, "SELECT count(*) FROM merkle_nodes"));
    }

    [Fact]
    public async Task ReadingNoNodesAndRepeatedNodesWorks()
    {
        var store = await OpenAsync(await server.NewSchemaAsync("merkle"));
        var log = new MerkleLog(store);
        await log.AppendAsync(new byte[] { 7 });
        await log.AppendAsync(new byte[] { 8 });

        await store.ReadNodesAsync(ReadOnlyMemory<MerkleNodeId>.Empty, Memory<MerkleHash>.Empty, CancellationToken.None);
        var hashes = new MerkleHash[3];
        await store.ReadNodesAsync(new[] { new MerkleNodeId(0, 1), new MerkleNodeId(1, 0), new MerkleNodeId(0, 1) }, hashes, CancellationToken.None);
        Assert.Equal(MerkleTree.HashLeaf([8]), hashes[0]);
        Assert.Equal(hashes[0], hashes[2]);
        Assert.Equal(MerkleTree.HashChildren(MerkleTree.HashLeaf([7]), MerkleTree.HashLeaf([8])), hashes[1]);
    }

    protected override async Task<IMerkleLogStore> CreateStoreAsync() => await OpenAsync(await server.NewSchemaAsync("merkle"));

    private async Task<PostgresMerkleLogStore> OpenAsync(string connectionString)
    {
        var store = await PostgresMerkleLogStore.OpenAsync(connectionString);
        _owned.Add(store);
        return store;
    }
}
