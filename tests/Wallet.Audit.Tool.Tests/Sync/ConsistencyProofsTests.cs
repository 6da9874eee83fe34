using Wallet.Audit.Tool.Sync;
using Wallet.Crypto.Merkle;

namespace Wallet.Audit.Tool.Tests.Sync;

public sealed class ConsistencyProofsTests
{
    [Fact]
    public async Task ProofsAndRootsFromTheMirrorsLeavesEqualTheLogsOwnForEverySize()
    {
        var log = new MerkleLog(new InMemoryMerkleLogStore());
        var leaves = new List<MerkleHash>();
        for (int i = 0; i < 37; i++)
        {
            byte[] leaf = [(byte)i, 0x5a];
            await log.AppendAsync(leaf);
            leaves.Add(MerkleTree.HashLeaf(leaf));
        }

        var tree = new LeafTree(leaves);
        Assert.Equal(MerkleTree.EmptyRoot, tree.Root(0));
        for (int newSize = 1; newSize <= leaves.Count; newSize++)
        {
            for (int oldSize = 1; oldSize <= newSize; oldSize++)
            {
                var computed = ConsistencyProofs.Compute(leaves[..newSize], (ulong)oldSize);
                var served = await log.GetConsistencyProofAsync((ulong)oldSize, (ulong)newSize);
                Assert.Equal(served.Encode(), computed.Encode());
                Assert.True(computed.Verify(await log.GetRootAsync((ulong)oldSize), await log.GetRootAsync((ulong)newSize)));
                Assert.Equal(served.Encode(), ConsistencyProofs.Compute(tree, newSize, (ulong)oldSize).Encode());
            }

            Assert.Equal(await log.GetRootAsync((ulong)newSize), tree.Root(newSize));
        }
    }
}
