using Wallet.Crypto.Merkle;
using Wallet.Storage.Testing;

namespace Wallet.Crypto.Tests.Merkle;

public sealed class InMemoryMerkleLogStoreTests : MerkleLogStoreContract
{
    protected override Task<IMerkleLogStore> CreateStoreAsync() => Task.FromResult<IMerkleLogStore>(new InMemoryMerkleLogStore());

    [Fact]
    public async Task BatchWithAGapInALevelIsRejectedWhole()
    {
        var store = new InMemoryMerkleLogStore();
        MerkleNode[] gap =
        [
            new(new MerkleNodeId(0, 0), MerkleTestLog.LeafHash(1, 0)),
            new(new MerkleNodeId(0, 2), MerkleTestLog.LeafHash(1, 2)),
        ];
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAppendAsync(0, 2, gap, CancellationToken.None));
        Assert.Equal(0UL, await store.GetLeafCountAsync(CancellationToken.None));
        await Assert.ThrowsAsync<KeyNotFoundException>(
            async () => await store.ReadNodesAsync(new[] { new MerkleNodeId(0, 0) }, new MerkleHash[1], CancellationToken.None));
    }
}
