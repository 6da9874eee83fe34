using System.Security.Cryptography;
using Wallet.Crypto.Merkle;

namespace Wallet.Crypto.Tests.Merkle;

public sealed class MerkleHashTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void ConstructorRejectsWrongLength(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => new MerkleHash(new byte[length]));
        Assert.Equal("bytes", error.ParamName);
    }

    [Fact]
    public void BytesAndHexRoundTrip()
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(32);
        var hash = new MerkleHash(bytes);

        Assert.Equal(bytes, hash.ToArray());
        Assert.Equal(Convert.ToHexStringLower(bytes), hash.ToString());
        Assert.Equal(hash, MerkleHash.Parse(hash.ToString()));
        Assert.Equal(hash, MerkleHash.Parse(hash.ToString().ToUpperInvariant()));
        var copy = new byte[40];
        hash.CopyTo(copy);
        Assert.Equal(bytes, copy[..32]);
    }

    [Fact]
    public void EqualityFollowsEveryByte()
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(32);
        var hash = new MerkleHash(bytes);
        Assert.True(hash == new MerkleHash(bytes));
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] changed = (byte[])bytes.Clone();
            changed[i] ^= 0x80;
            var other = new MerkleHash(changed);
            Assert.True(hash != other);
            Assert.False(hash.Equals((object)other));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("000000000000000000000000000000000000000000000000000000000000000000")]
    public void ParseRejectsAnythingButSixtyFourHexDigits(string text) =>
        Assert.Throws<FormatException>(() => MerkleHash.Parse(text));

    [Fact]
    public void CopyToRejectsShortDestination() =>
        Assert.Throws<ArgumentException>(() => default(MerkleHash).CopyTo(new byte[31]));
}
