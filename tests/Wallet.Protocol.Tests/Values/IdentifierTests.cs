namespace Wallet.Protocol.Tests.Values;

public sealed class IdentifierTests
{
    [Fact]
    public void KeysetIdOfWrongLengthIsRefused() =>
        Assert.Throws<ArgumentException>("bytes", () => new KeysetId(new byte[31]));

    [Fact]
    public void CoinIdRoundTripsThroughHex()
    {
        var coin = new CoinId(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

        Assert.Equal(coin, CoinId.Parse(coin.ToString()));
        Assert.Equal("000102", coin.ToString()[..6]);
    }

    [Fact]
    public void NonHexCoinIdIsRefused() =>
        Assert.Throws<ArgumentException>("hex", () => CoinId.Parse(new string('z', 64)));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("caf\u00e9")]
    public void InvalidAccountIdIsRefused(string value) =>
        Assert.Throws<ArgumentException>("value", () => new AccountId(value));

    [Fact]
    public void OverlongIdempotencyKeyIsRefused() =>
        Assert.Throws<ArgumentException>("value", () => new IdempotencyKey(new string('k', 129)));

    [Fact]
    public void IdsThatShareALongPrefixStillHashApart()
    {
        // Ids come from the network: a hash of a fixed prefix would let crafted ids collide in every set.
        var hashes = Enumerable.Range(0, 64).Select(i =>
        {
            var bytes = new byte[32];
            bytes[31] = (byte)i;
            return new CoinId(bytes).GetHashCode();
        }).ToHashSet();

        Assert.True(hashes.Count > 60, $"{hashes.Count} distinct hashes of 64 ids");
    }

    [Fact]
    public void IdsCompareByValue()
    {
        Assert.Equal(new AccountId("w-1"), new AccountId("w-1"));
        Assert.NotEqual(new IdempotencyKey("a"), new IdempotencyKey("A"));
    }
}
