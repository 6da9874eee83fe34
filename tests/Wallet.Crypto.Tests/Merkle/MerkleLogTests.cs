using Wallet.Crypto.Merkle;
using Wallet.Storage.Testing;
using static Wallet.Storage.Testing.MerkleTestLog;

namespace Wallet.Crypto.Tests.Merkle;

public sealed class MerkleLogTests
{
    [Fact]
    public async Task AppendsGetConsecutiveIndicesAndEveryPastRootMatchesTheReference()
    {
        var log = new MerkleLog(new InMemoryMerkleLogStore());
        ReferenceMerkleTree reference = Reference(3);
        Assert.Equal(MerkleTree.EmptyRoot, await log.GetRootAsync(0));
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal((ulong)i, await log.AppendAsync(Entry(3, i)));
            Assert.Equal((ulong)i + 1, await log.GetSizeAsync());
        }

        for (int size = 0; size <= 100; size++)
        {
            Assert.Equal(reference.Mth(0, size), (await log.GetRootAsync((ulong)size)).ToArray());
        }
    }

    [Fact]
    public async Task BatchAppendGivesTheSameTreeAsSingleAppends()
    {
        var single = new MerkleLog(new InMemoryMerkleLogStore());
        var batched = new MerkleLog(new InMemoryMerkleLogStore());
        for (int i = 0; i < 37; i++)
        {
            await single.AppendAsync(Entry(8, i));
        }

        Assert.Equal(0UL, await batched.AppendRangeAsync([Entry(8, 0)]));
        Assert.Equal(1UL, await batched.AppendRangeAsync([.. Enumerable.Range(1, 20).Select(i => (ReadOnlyMemory<byte>)Entry(8, i))]));
        Assert.Equal(21UL, await batched.AppendRangeAsync([.. Enumerable.Range(21, 16).Select(i => (ReadOnlyMemory<byte>)Entry(8, i))]));

        for (ulong size = 0; size <= 37; size++)
        {
            Assert.Equal(await single.GetRootAsync(size), await batched.GetRootAsync(size));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FailedStoreWriteLeavesTheLogConsistentForLaterAppends(bool failAfterCommit)
    {
        var store = new FaultyMerkleLogStore(new InMemoryMerkleLogStore(), failingAppend: 4, failAfterCommit);
        var log = new MerkleLog(store);
        var entries = new List<byte[]>();
        for (int batch = 0; batch < 8; batch++)
        {
            ReadOnlyMemory<byte>[] leaves = [.. Enumerable.Range(batch * 5, 5).Select(i => (ReadOnlyMemory<byte>)Entry(6, i))];
            try
            {
                ulong first = await log.AppendRangeAsync(leaves);
                Assert.Equal((ulong)entries.Count, first);
                entries.AddRange(leaves.Select(l => l.ToArray()));
            }
            catch (IOException)
            {
                // Whether the batch landed is for the store to say, not the log.
                if (await log.GetSizeAsync() > (ulong)entries.Count)
                {
                    entries.AddRange(leaves.Select(l => l.ToArray()));
                }
            }
        }

        Assert.Equal(failAfterCommit ? 40 : 35, entries.Count);
        ulong size = await log.GetSizeAsync();
        Assert.Equal((ulong)entries.Count, size);
        var reference = new ReferenceMerkleTree(i => entries[(int)i]);
        MerkleHash root = await log.GetRootAsync(size);
        Assert.Equal(reference.Mth(0, (long)size), root.ToArray());
        for (ulong i = 0; i < size; i++)
        {
            Assert.True((await log.GetInclusionProofAsync(i, size)).Verify(new MerkleHash(ReferenceMerkleTree.LeafHash(entries[(int)i])), root));
        }
    }

    [Fact]
    public async Task NewLogOverAnExistingStoreContinuesTheTree()
    {
        var store = new InMemoryMerkleLogStore();
        Build(4, 45, store);
        var reopened = new MerkleLog(store);
        for (int i = 45; i < 77; i++)
        {
            Assert.Equal((ulong)i, await reopened.AppendAsync(Entry(4, i)));
        }

        Assert.Equal(Reference(4).Mth(0, 77), (await reopened.GetRootAsync(77)).ToArray());
    }

    [Fact]
    public async Task ConcurrentAppendsThroughOneLogAllLand()
    {
        var log = new MerkleLog(new InMemoryMerkleLogStore());
        var entries = new System.Collections.Concurrent.ConcurrentDictionary<ulong, byte[]>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (int i = 0; i < 50; i++)
            {
                byte[] entry = Entry(worker, i);
                Assert.True(entries.TryAdd(await log.AppendAsync(entry), entry));
            }
        })));

        var reference = new ReferenceMerkleTree(i => entries[(ulong)i]);
        Assert.Equal(reference.Mth(0, 200), (await log.GetRootAsync(200)).ToArray());
    }

    [Fact]
    public async Task SignedTreeHeadCoversTheCurrentSizeAndRoot()
    {
        MerkleLog log = Build(2, 33);
        SignedTreeHead head = await log.SignTreeHeadAsync(MerkleTestKeys.LogKey, MerkleTestKeys.Clock);
        Assert.Equal(33UL, head.TreeSize);
        Assert.Equal(await log.GetRootAsync(33), head.RootHash);
        Assert.Equal(MerkleTestKeys.Clock.GetUtcNow(), head.Timestamp);
        Assert.True(head.Verify(MerkleTestKeys.LogKey.PublicKey));

        InclusionProof proof = await log.GetInclusionProofAsync(12, head.TreeSize);
        Assert.True(proof.Verify(LeafHash(2, 12), head));
    }

    [Fact]
    public async Task QuestionsAboutSizesBeyondTheLogAreCallerMistakes()
    {
        MerkleLog log = Build(2, 10);
        Assert.Equal("treeSize", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.GetRootAsync(11))).ParamName);
        Assert.Equal("treeSize", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.GetInclusionProofAsync(3, 11))).ParamName);
        Assert.Equal("leafIndex", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.GetInclusionProofAsync(10, 10))).ParamName);
        Assert.Equal("newSize", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.GetConsistencyProofAsync(3, 11))).ParamName);
        Assert.Equal("oldSize", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.GetConsistencyProofAsync(5, 4))).ParamName);
    }

    [Fact]
    public async Task ArgumentsAreChecked()
    {
        var log = new MerkleLog(new InMemoryMerkleLogStore());
        Assert.Throws<ArgumentNullException>(() => new MerkleLog(null!));
        Assert.Equal("leaves", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await log.AppendRangeAsync(null!))).ParamName);
        Assert.Equal("leaves", (await Assert.ThrowsAsync<ArgumentException>(async () => await log.AppendRangeAsync([]))).ParamName);
        Assert.Equal("signingKey", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await log.SignTreeHeadAsync(null!, MerkleTestKeys.Clock))).ParamName);
        Assert.Equal("timeProvider", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await log.SignTreeHeadAsync(MerkleTestKeys.LogKey, null!))).ParamName);
    }

    [Fact]
    public async Task CancelledAppendThrowsAndAddsNothing()
    {
        var log = new MerkleLog(new InMemoryMerkleLogStore());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await log.AppendAsync(Entry(1, 0), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await log.GetRootAsync(0, cancelled.Token));
        Assert.Equal(0UL, await log.GetSizeAsync());
        Assert.Equal(0UL, await log.AppendAsync(Entry(1, 0)));
    }
}
