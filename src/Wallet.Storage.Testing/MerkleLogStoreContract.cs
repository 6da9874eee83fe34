namespace Wallet.Storage.Testing;

/// <summary>
/// The behaviour every <see cref="IMerkleLogStore"/> must show: leaf counts, node reads, batches that commit whole
/// or not at all, and a <see cref="MerkleLog"/> over the store giving RFC 9162 roots and proofs, also with several
/// logs and concurrent appenders on one store. WalletCore's in-memory, SQLite and PostgreSQL log stores all pass it.
/// </summary>
/// <remarks>
/// <para>
/// To check your own store, inherit this class in an xUnit v2 test project and return a new, empty store from
/// <see cref="CreateStoreAsync"/>; xUnit then runs every test below against it. Each test calls it once and never
/// disposes the store: keep what you open in the test class and release it in its own <see cref="IDisposable.Dispose"/>
/// (xUnit builds a new instance of the class for each test).
/// </para>
/// <code>
/// public sealed class MyMerkleLogStoreTests : MerkleLogStoreContract, IDisposable
/// {
///     private readonly List&lt;MyMerkleLogStore&gt; _stores = [];
///
///     protected override Task&lt;IMerkleLogStore&gt; CreateStoreAsync()
///     {
///         var store = MyMerkleLogStore.OpenNew();
///         _stores.Add(store);
///         return Task.FromResult&lt;IMerkleLogStore&gt;(store);
///     }
///
///     public void Dispose() =&gt; _stores.ForEach(s =&gt; s.Dispose());
/// }
/// </code>
/// </remarks>
public abstract class MerkleLogStoreContract
{
    /// <summary>Returns a new, empty store (a fresh database, file or schema for persistent stores); each test calls it once.</summary>
    /// <returns>The store the test runs against.</returns>
    protected abstract Task<IMerkleLogStore> CreateStoreAsync();

    /// <summary>New store has no leaves.</summary>
    [Fact]
    public async Task NewStoreHasNoLeaves()
    {
        IMerkleLogStore store = await CreateStoreAsync();
        Assert.Equal(0UL, await store.GetLeafCountAsync(CancellationToken.None));
    }

    /// <summary>Committed batch is read back with its leaf count.</summary>
    [Fact]
    public async Task CommittedBatchIsReadBackWithItsLeafCount()
    {
        IMerkleLogStore store = await CreateStoreAsync();
        MerkleNode[] batch = Nodes(0, 3);
        Assert.True(await store.TryAppendAsync(0, 3, batch, CancellationToken.None));

        Assert.Equal(3UL, await store.GetLeafCountAsync(CancellationToken.None));
        MerkleNodeId[] ids = Array.ConvertAll(batch, n => n.Id);
        var hashes = new MerkleHash[ids.Length];
        await store.ReadNodesAsync(ids, hashes, CancellationToken.None);
        Assert.Equal(Array.ConvertAll(batch, n => n.Hash), hashes);
    }

    /// <summary>Nodes are read in the order asked.</summary>
    [Fact]
    public async Task NodesAreReadInTheOrderAsked()
    {
        IMerkleLogStore store = await CreateStoreAsync();
        MerkleNode[] batch = Nodes(0, 8);
        Assert.True(await store.TryAppendAsync(0, 8, batch, CancellationToken.None));
        MerkleNode[] reversed = [.. batch.Reverse()];
        var hashes = new MerkleHash[reversed.Length];
        await store.ReadNodesAsync(Array.ConvertAll(reversed, n => n.Id), hashes, CancellationToken.None);
        Assert.Equal(Array.ConvertAll(reversed, n => n.Hash), hashes);
    }

    /// <summary>Batch built on a stale count writes nothing.</summary>
    [Fact]
    public async Task BatchBuiltOnAStaleCountWritesNothing()
    {
        IMerkleLogStore store = await CreateStoreAsync();
        Assert.True(await store.TryAppendAsync(0, 2, Nodes(0, 2), CancellationToken.None));

        Assert.False(await store.TryAppendAsync(0, 3, Nodes(0, 3, seed: 9), CancellationToken.None));
        Assert.False(await store.TryAppendAsync(5, 6, Nodes(5, 6), CancellationToken.None));

        Assert.Equal(2UL, await store.GetLeafCountAsync(CancellationToken.None));
        await Assert.ThrowsAsync<KeyNotFoundException>(
            async () => await store.ReadNodesAsync(new[] { new MerkleNodeId(0, 2) }, new MerkleHash[1], CancellationToken.None));
        var first = new MerkleHash[1];
        await store.ReadNodesAsync(new[] { new MerkleNodeId(0, 0) }, first, CancellationToken.None);
        Assert.Equal(Nodes(0, 2)[0].Hash, first[0]);
    }

    /// <summary>Reading an unwritten node throws KeyNotFoundException.</summary>
    [Fact]
    public async Task ReadingAnUnwrittenNodeThrowsKeyNotFound()
    {
        IMerkleLogStore store = await CreateStoreAsync();
        Assert.True(await store.TryAppendAsync(0, 1, Nodes(0, 1), CancellationToken.None));
        await Assert.ThrowsAsync<KeyNotFoundException>(
            async () => await store.ReadNodesAsync(new[] { new MerkleNodeId(1, 0) }, new MerkleHash[1], CancellationToken.None));
    }

    /// <summary>Read into a destination of another length is rejected.</summary>
    [Fact]
    public async Task ReadIntoADestinationOfAnotherLengthIsRejected()
    {
        IMerkleLogStore store = await CreateStoreAsync();
        Assert.True(await store.TryAppendAsync(0, 1, Nodes(0, 1), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(
            async () => await store.ReadNodesAsync(new[] { new MerkleNodeId(0, 0) }, new MerkleHash[2], CancellationToken.None));
    }

    /// <summary>Batch that adds no leaf is rejected.</summary>
    [Fact]
    public async Task BatchThatAddsNoLeafIsRejected()
    {
        IMerkleLogStore store = await CreateStoreAsync();
        await Assert.ThrowsAsync<ArgumentException>(
            async () => await store.TryAppendAsync(0, 0, ReadOnlyMemory<MerkleNode>.Empty, CancellationToken.None));
    }

    /// <summary>Batch with a node of an unfinished subtree is rejected and writes nothing.</summary>
    [Fact]
    public async Task BatchWithANodeOfAnUnfinishedSubtreeIsRejectedAndWritesNothing()
    {
        IMerkleLogStore store = await CreateStoreAsync();
        Assert.True(await store.TryAppendAsync(0, 1, Nodes(0, 1), CancellationToken.None));

        // Leaf 1 completes (1, 0); leaf 2 completes nothing above level 0, so (1, 1) and (5, 0) do not exist yet.
        MerkleNode[] valid = Nodes(1, 3);
        MerkleNode bogus = new(new MerkleNodeId(1, 1), MerkleTree.HashLeaf([9]));
        MerkleNode farAbove = new(new MerkleNodeId(5, 0), MerkleTree.HashLeaf([9]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAppendAsync(1, 3, valid.Append(bogus).ToArray(), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAppendAsync(1, 3, valid.Append(farAbove).ToArray(), CancellationToken.None));

        Assert.Equal(1UL, await store.GetLeafCountAsync(CancellationToken.None));
        await Assert.ThrowsAsync<KeyNotFoundException>(
            async () => await store.ReadNodesAsync(new[] { new MerkleNodeId(0, 1) }, new MerkleHash[1], CancellationToken.None));
        Assert.True(await store.TryAppendAsync(1, 3, valid, CancellationToken.None));
    }

    /// <summary>Batch missing an interior node is rejected and writes nothing.</summary>
    [Fact]
    public async Task BatchMissingAnInteriorNodeIsRejectedAndWritesNothing()
    {
        IMerkleLogStore store = await CreateStoreAsync();
        MerkleNode[] full = Nodes(0, 4);
        MerkleNode[] withoutRoot = [.. full.Where(n => n.Id != new MerkleNodeId(2, 0))];
        MerkleNode[] withoutPair = [.. full.Where(n => n.Id != new MerkleNodeId(1, 1))];

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAppendAsync(0, 4, withoutRoot, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAppendAsync(0, 4, withoutPair, CancellationToken.None));

        Assert.Equal(0UL, await store.GetLeafCountAsync(CancellationToken.None));
        await Assert.ThrowsAsync<KeyNotFoundException>(
            async () => await store.ReadNodesAsync(new[] { new MerkleNodeId(0, 0) }, new MerkleHash[1], CancellationToken.None));
        Assert.True(await store.TryAppendAsync(0, 4, full, CancellationToken.None));
    }

    /// <summary>Cancelled calls throw and write nothing.</summary>
    [Fact]
    public async Task CancelledCallsThrowAndWriteNothing()
    {
        IMerkleLogStore store = await CreateStoreAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetLeafCountAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await store.TryAppendAsync(0, 1, Nodes(0, 1), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await store.ReadNodesAsync(new[] { new MerkleNodeId(0, 0) }, new MerkleHash[1], cancelled.Token));
        Assert.Equal(0UL, await store.GetLeafCountAsync(CancellationToken.None));
    }

    /// <summary>Log over the store gives reference roots and proofs.</summary>
    [Fact]
    public async Task LogOverTheStoreGivesReferenceRootsAndProofs()
    {
        var log = new MerkleLog(await CreateStoreAsync());
        ReferenceMerkleTree reference = MerkleTestLog.Reference(21);
        for (int i = 0; i < 70; i++)
        {
            Assert.Equal((ulong)i, await log.AppendAsync(MerkleTestLog.Entry(21, i)));
        }

        for (int size = 0; size <= 70; size++)
        {
            MerkleHash root = await log.GetRootAsync((ulong)size);
            Assert.Equal(reference.Mth(0, size), root.ToArray());
            if (size > 0)
            {
                InclusionProof inclusion = await log.GetInclusionProofAsync((ulong)size / 2, (ulong)size);
                Assert.True(inclusion.Verify(MerkleTestLog.LeafHash(21, size / 2), root));
                ConsistencyProof consistency = await log.GetConsistencyProofAsync((ulong)size, 70);
                Assert.True(consistency.Verify(root, await log.GetRootAsync(70)));
            }
        }
    }

    /// <summary>Logs sharing the store interleave without losing entries.</summary>
    [Fact]
    public async Task LogsSharingTheStoreInterleaveWithoutLosingEntries()
    {
        IMerkleLogStore store = await CreateStoreAsync();
        var first = new MerkleLog(store);
        var second = new MerkleLog(store);
        var entries = new Dictionary<ulong, byte[]>();
        for (int i = 0; i < 40; i++)
        {
            MerkleLog writer = i % 3 == 0 ? second : first;
            byte[] entry = MerkleTestLog.Entry(31, i);
            entries.Add(await writer.AppendAsync(entry), entry);
        }

        Assert.Equal(40UL, await first.GetSizeAsync());
        var reference = new ReferenceMerkleTree(i => entries[(ulong)i]);
        Assert.Equal(reference.Mth(0, 40), (await second.GetRootAsync(40)).ToArray());
        Assert.Equal(reference.Mth(0, 40), (await first.GetRootAsync(40)).ToArray());
    }

    /// <summary>Concurrent appenders all land exactly once.</summary>
    [Fact]
    public async Task ConcurrentAppendersAllLandExactlyOnce()
    {
        IMerkleLogStore store = await CreateStoreAsync();
        MerkleLog[] logs = [new(store), new(store), new(store)];
        var entries = new System.Collections.Concurrent.ConcurrentDictionary<ulong, byte[]>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(worker => Task.Run(async () =>
        {
            for (int i = 0; i < 25; i++)
            {
                byte[] entry = MerkleTestLog.Entry(worker, i);
                Assert.True(entries.TryAdd(await logs[worker % logs.Length].AppendAsync(entry), entry));
            }
        })));

        Assert.Equal(150UL, await store.GetLeafCountAsync(CancellationToken.None));
        var reference = new ReferenceMerkleTree(i => entries[(ulong)i]);
        Assert.Equal(reference.Mth(0, 150), (await logs[0].GetRootAsync(150)).ToArray());
    }

    /// <summary>The nodes that appending leaves [from, to) completes, level by level, as a log would write them.</summary>
    private static MerkleNode[] Nodes(long from, long to, int seed = 0)
    {
        var frontierLog = new InMemoryMerkleLogStore();
        var log = new MerkleLog(frontierLog);
        for (long i = 0; i < to; i++)
        {
            MerkleTestLog.Run(log.AppendAsync(MerkleTestLog.Entry(seed, i)));
        }

        var result = new List<MerkleNode>();
        for (int level = 0; level < MerkleNodeId.MaxLevels; level++)
        {
            // Appending leaves [from, to) completes the subtrees that end inside that range.
            for (ulong index = (ulong)from >> level; index < ((ulong)to >> level); index++)
            {
                var hash = new MerkleHash[1];
                var id = new MerkleNodeId(level, index);
                frontierLog.ReadNodesAsync(new[] { id }, hash, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                result.Add(new MerkleNode(id, hash[0]));
            }
        }

        return [.. result];
    }
}
