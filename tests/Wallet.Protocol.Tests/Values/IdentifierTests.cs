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
    public void IdsCompareByValue()
    {
        Assert.Equal(new AccountId("w-1"), new AccountId("w-1"));
        Assert.NotEqual(new IdempotencyKey("a"), new IdempotencyKey("A"));
    }
}
