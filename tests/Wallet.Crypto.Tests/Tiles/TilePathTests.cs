using Wallet.Crypto.Tiles;

namespace Wallet.Crypto.Tests.Tiles;

public sealed class TilePathTests
{
    [Theory]
    [InlineData("tile/0/x001/x234/067", false, 0, 1234067UL, 256)]
    [InlineData("tile/0/000", false, 0, 0UL, 256)]
    [InlineData("tile/1/999.p/17", false, 1, 999UL, 17)]
    [InlineData("tile/63/x001/000.p/255", false, 63, 1000UL, 255)]
    [InlineData("tile/entries/x001/234.p/1", true, 0, 1234UL, 1)]
    [InlineData("tile/entries/000", true, 0, 0UL, 256)]
    [InlineData("tile/0/x018/x446/x744/x073/x709/x551/615", false, 0, ulong.MaxValue, 256)]
    public void CanonicalPathsParseAndFormatBack(string path, bool entries, int level, ulong index, int width)
    {
        Assert.True(TilePath.TryParse(path, out TilePath? tile));
        Assert.Equal(entries, tile.IsEntryBundle);
        Assert.Equal(level, tile.Level);
        Assert.Equal(index, tile.Index);
        Assert.Equal(width, tile.Width);
        Assert.Equal(width < 256, tile.IsPartial);
        Assert.Equal(path, tile.ToString());
        Assert.Equal(entries ? TilePath.Entries(index, width) : TilePath.Hashes(level, index, width), tile);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tile/")]
    [InlineData("/tile/0/000")]
    [InlineData("tiles/0/000")]
    [InlineData("tile/0/1")]
    [InlineData("tile/0/01")]
    [InlineData("tile/0/0001")]
    [InlineData("tile/0/0a0")]
    [InlineData("tile/0/+01")]
    [InlineData("tile/0/-01")]
    [InlineData("tile/0/ 01")]
    [InlineData("tile/0/000/")]
    [InlineData("tile/0/x001")]
    [InlineData("tile/0/x000/001")]
    [InlineData("tile/0/x01/000")]
    [InlineData("tile/0/y001/000")]
    [InlineData("tile/0/001/000")]
    [InlineData("tile/00/000")]
    [InlineData("tile/01/000")]
    [InlineData("tile/+1/000")]
    [InlineData("tile/64/000")]
    [InlineData("tile//000")]
    [InlineData("tile/0/000.p/0")]
    [InlineData("tile/0/000.p/256")]
    [InlineData("tile/0/000.p/05")]
    [InlineData("tile/0/000.p/")]
    [InlineData("tile/0/000.p/1.p/1")]
    [InlineData("tile/0/000.p/1/")]
    [InlineData("tile/0/000.P/1")]
    [InlineData("tile/entry/000")]
    [InlineData("tile/entries/x000/000")]
    [InlineData("tile/0/x018/x446/x744/x073/x709/x551/616")]
    [InlineData("tile/0/x999/x999/x999/x999/x999/x999/x999/999")]
    public void NonCanonicalOrMalformedPathsAreRefused(string path)
    {
        Assert.False(TilePath.TryParse(path, out TilePath? tile));
        Assert.Null(tile);
    }

    [Fact]
    public void NullPathIsRefused() => Assert.False(TilePath.TryParse(null, out _));

    [Fact]
    public void OutOfRangeLevelsAndWidthsAreCallerMistakes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TilePath.Hashes(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TilePath.Hashes(64, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TilePath.Hashes(0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TilePath.Entries(0, 257));
    }
}
