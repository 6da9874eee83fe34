using Wallet.Audit.Tool.Sync;
using Wallet.Crypto.Merkle;

namespace Wallet.Audit.Tool.Tests.Sync;

public sealed class ConsistencyProofsTests
{
    [Fact]
    public async Task ProofsFromTheMirrorsLeavesEqualTheLogsOwnForEverySizePair()
    {
        var log = new MerkleLog(new InMemoryMerkleLogStore());
        var leaves = new List<MerkleHash>();
        for (int i = 0; i < 37; i++)
        {
            byte[] leaf = [(byte)i, 0x5a];
            await log.AppendAsync(leaf);
            leaves.Add(MerkleTree.HashLeaf(leaf));
        }

        for (int newSize = 1; newSize <= leaves.Count; newSize++)
        {
            for (int oldSize = 1; oldSize <= newSize; oldSize++)
            {
                var computed = ConsistencyProofs.Compute(leaves[..newSize], (ulong)oldSize);
                var served = await log.GetConsistencyProofAsync((ulong)oldSize, (ulong)newSize);
                Assert.Equal(served.Encode(), computed.Encode());
                Assert.True(computed.Verify(await log.GetRootAsync((ulong)oldSize), await log.GetRootAsync((ulong)newSize)));
            }
        }
    }
}
