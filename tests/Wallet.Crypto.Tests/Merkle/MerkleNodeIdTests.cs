using Wallet.Crypto.Merkle;

namespace Wallet.Crypto.Tests.Merkle;

public sealed class MerkleNodeIdTests
{
    [Theory]
    [InlineData(-1, 0UL)]
    [InlineData(64, 0UL)]
    [InlineData(63, 2UL)]
    [InlineData(1, ulong.MaxValue)]
    public void IdsOutsideAUInt64TreeAreRejected(int level, ulong index) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MerkleNodeId(level, index));

    [Fact]
    public void LargestIdsAreAccepted()
    {
        Assert.Equal(1UL, new MerkleNodeId(63, 1).Index);
        Assert.Equal(ulong.MaxValue, new MerkleNodeId(0, ulong.MaxValue).Index);
    }

    [Fact]
    public void EqualityIsByLevelAndIndex()
    {
        Assert.Equal(new MerkleNodeId(3, 7), new MerkleNodeId(3, 7));
        Assert.NotEqual(new MerkleNodeId(3, 7), new MerkleNodeId(4, 7));
        Assert.NotEqual(new MerkleNodeId(3, 7), new MerkleNodeId(3, 8));
        Assert.Equal("(3, 7)", new MerkleNodeId(3, 7).ToString());
    }
}
