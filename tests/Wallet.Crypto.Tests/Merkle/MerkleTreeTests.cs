using System.Security.Cryptography;
using Wallet.Crypto.Merkle;
using Wallet.Storage.Testing;

namespace Wallet.Crypto.Tests.Merkle;

public sealed class MerkleTreeTests
{
    [Fact]
    public void EmptyRootIsSha256OfTheEmptyString() =>
        Assert.Equal(SHA256.HashData(Array.Empty<byte>()), MerkleTree.EmptyRoot.ToArray());

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(70_000)]
    public void LeafHashIsSha256OfZeroPrefixAndEntry(int length)
    {
        byte[] entry = RandomNumberGenerator.GetBytes(length);
        Assert.Equal(ReferenceMerkleTree.LeafHash(entry), MerkleTree.HashLeaf(entry).ToArray());
    }

    [Fact]
    public void NodeHashIsSha256OfOnePrefixAndChildren()
    {
        byte[] left = RandomNumberGenerator.GetBytes(32);
        byte[] right = RandomNumberGenerator.GetBytes(32);
        Assert.Equal(
            ReferenceMerkleTree.NodeHash(left, right),
            MerkleTree.HashChildren(new MerkleHash(left), new MerkleHash(right)).ToArray());
    }

    [Fact]
    public void LeafWhoseBytesAreTwoHashesDoesNotHashAsTheirParent()
    {
        var left = new MerkleHash(RandomNumberGenerator.GetBytes(32));
        var right = new MerkleHash(RandomNumberGenerator.GetBytes(32));
        byte[] concatenated = [.. left.ToArray(), .. right.ToArray()];
        Assert.NotEqual(MerkleTree.HashChildren(left, right), MerkleTree.HashLeaf(concatenated));
    }

    [Fact]
    public void ComputeRootMatchesReferenceForEverySizeUpTo300()
    {
        ReferenceMerkleTree reference = MerkleTestLog.Reference(seed: 7);
        var leaves = new MerkleHash[300];
        for (int i = 0; i < leaves.Length; i++)
        {
            leaves[i] = MerkleTestLog.LeafHash(7, i);
        }

        for (int size = 0; size <= leaves.Length; size++)
        {
            Assert.Equal(reference.Mth(0, size), MerkleTree.ComputeRoot(leaves.AsSpan(0, size)).ToArray());
        }
    }

    [Fact]
    public void SingleLeafRootIsItsLeafHash()
    {
        MerkleHash leaf = MerkleTestLog.LeafHash(1, 0);
        Assert.Equal(leaf, MerkleTree.ComputeRoot([leaf]));
    }
}
