using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>The stored form of an outcome's conflicts: fixed-size items, in order, refused when truncated.</summary>
public sealed class CoinConflictTests
{
    [Fact]
    public void ListRoundTripsInOrder()
    {
        CoinConflict[] conflicts = [new(Coin(2), 7), new(Coin(1), long.MaxValue), new(Coin(3), 1)];

        byte[] encoded = CoinConflict.EncodeList(conflicts);

        Assert.Equal(3 * (CoinId.Length + 8), encoded.Length);
        Assert.True(CoinConflict.TryDecodeList(encoded, out var decoded));
        Assert.Equal(conflicts, decoded);
    }

    [Fact]
    public void EmptyListIsEmptyBytes()
    {
        Assert.Empty(CoinConflict.EncodeList([]));
        Assert.True(CoinConflict.TryDecodeList([], out var decoded));
        Assert.Empty(decoded);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(CoinId.Length + 7)]
    [InlineData(CoinId.Length + 9)]
    public void TruncatedOrPaddedListIsRefused(int length)
    {
        Assert.False(CoinConflict.TryDecodeList(new byte[length], out var decoded));
        Assert.Empty(decoded);
    }
}
