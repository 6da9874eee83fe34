using System.Numerics;
using Wallet.Crypto.Merkle;
using Wallet.Storage.Testing;
using static Wallet.Storage.Testing.MerkleTestLog;

namespace Wallet.Crypto.Tests.Merkle;

public sealed class MerkleLogLargeTreeTests
{
    private const int Size = 100_000;
    private const int Seed = 100;

    [Fact]
    public async Task ProofsInATreeOfOneHundredThousandLeavesReadLogarithmicallyManyNodes()
    {
        var store = new CountingMerkleLogStore(new InMemoryMerkleLogStore());
        MerkleLog log = Build(Seed, Size, store); // entries are generated batch by batch and dropped

        // The reference recomputes the root from entries generated on demand, holding O(log n) hashes.
        MerkleHash root = await log.GetRootAsync(Size);
        Assert.Equal(new ReferenceMerkleTree(i => Entry(Seed, i), memoise: false).Mth(0, Size), root.ToArray());

        int depth = 64 - BitOperations.LeadingZeroCount((ulong)Size);
        long maxReads = (2 * depth) + 2;
        var random = new Random(20261123);
        for (int probe = 0; probe < 300; probe++)
        {
            ulong index = (ulong)random.Next(Size);
            store.NodesRead = 0;
            InclusionProof inclusion = await log.GetInclusionProofAsync(index, Size);
            Assert.InRange(store.NodesRead, 1, maxReads);
            Assert.True(inclusion.Verify(LeafHash(Seed, (long)index), root));
            Assert.False(inclusion.Verify(LeafHash(Seed, (long)index + 1), root));

            ulong oldSize = (ulong)random.Next(1, Size);
            store.NodesRead = 0;
            ConsistencyProof consistency = await log.GetConsistencyProofAsync(oldSize, Size);
            Assert.InRange(store.NodesRead, 1, maxReads);
            MerkleHash oldRoot = await log.GetRootAsync(oldSize);
            Assert.True(consistency.Verify(oldRoot, root));

            if (index < oldSize)
            {
                Assert.True((await log.GetInclusionProofAsync(index, oldSize)).Verify(LeafHash(Seed, (long)index), oldRoot));
            }
        }
    }
}
