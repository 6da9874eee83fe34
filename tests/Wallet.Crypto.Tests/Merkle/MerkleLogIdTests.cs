using System.Security.Cryptography;
using Wallet.Crypto.Merkle;

namespace Wallet.Crypto.Tests.Merkle;

public sealed class MerkleLogIdTests
{
    [Fact]
    public void IdIsSha256OfTheRawPublicKey()
    {
        var id = MerkleLogId.FromPublicKey(MerkleTestKeys.LogKey.PublicKey);
        byte[] expected = SHA256.HashData(MerkleTestKeys.LogKey.PublicKey.Export());
        Assert.Equal(expected, id.ToArray());
        Assert.Equal(Convert.ToHexStringLower(expected), id.ToString());
        Assert.Equal(id, new MerkleLogId(expected));
    }

    [Fact]
    public void DifferentKeysGiveDifferentIds()
    {
        using var other = Wallet.Crypto.Signing.Ed25519SigningKey.Generate();
        Assert.NotEqual(MerkleLogId.FromPublicKey(MerkleTestKeys.LogKey.PublicKey), MerkleLogId.FromPublicKey(other.PublicKey));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void ConstructorRejectsWrongLength(int length) =>
        Assert.Equal("bytes", Assert.Throws<ArgumentException>(() => new MerkleLogId(new byte[length])).ParamName);

    [Fact]
    public void FromPublicKeyRejectsNull() =>
        Assert.Throws<ArgumentNullException>(() => MerkleLogId.FromPublicKey(null!));
}
