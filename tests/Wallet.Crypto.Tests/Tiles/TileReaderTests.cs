using System.Text;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Tiles;
using Wallet.Storage.Testing;
using static Wallet.Storage.Testing.MerkleTestLog;

namespace Wallet.Crypto.Tests.Tiles;

public sealed class TileReaderTests
{
    [Theory]
    [InlineData(0, 272UL, 256)]
    [InlineData(0, 273UL, 112)]
    [InlineData(0, 274UL, 0)]
    [InlineData(1, 0UL, 256)]
    [InlineData(1, 1UL, 17)]
    [InlineData(1, 2UL, 0)]
    [InlineData(2, 0UL, 1)]
    [InlineData(3, 0UL, 0)]
    [InlineData(63, 0UL, 0)]
    public void WidthsFollowTheSpecExampleOfATreeOf70000(int level, ulong index, int width) =>
        Assert.Equal(width, TileReader.AvailableWidth(TilePath.Hashes(level, index), 70_000));

    [Fact]
    public void TreeOf256HasAFullLevel0TileAndALevel1TileOfWidth1()
    {
        Assert.Equal(256, TileReader.AvailableWidth(TilePath.Hashes(0, 0), 256));
        Assert.Equal(1, TileReader.AvailableWidth(TilePath.Hashes(1, 0), 256));
        Assert.Equal(0, TileReader.AvailableWidth(TilePath.Hashes(0, ulong.MaxValue), ulong.MaxValue));
    }

    [Fact]
    public async Task TileHashesAreTheRootsOfTheirSubtrees()
    {
        const int Size = 70_000;
        MerkleLog log = Build(7, Size, out IMerkleLogStore store);
        ReferenceMerkleTree reference = Reference(7);
        var reader = new TileReader(store);
        foreach (var (level, index, width) in new[] { (0, 0UL, 256), (0, 273UL, 112), (1, 0UL, 256), (1, 1UL, 17), (2, 0UL, 1) })
        {
            Tile? tile = await reader.ReadHashTileAsync(TilePath.Hashes(level, index, width), Size);
            Assert.NotNull(tile);
            Assert.Equal(width * 32, tile.Data.Length);
            long span = 1L << (8 * level);
            for (int i = 0; i < width; i++)
            {
                long start = (((long)index * 256) + i) * span;
                Assert.Equal(reference.Mth(start, span), tile.Data.Slice(i * 32, 32).ToArray());
            }
        }

        Assert.Equal(Size, (long)await log.GetSizeAsync());
    }

    [Fact]
    public async Task TilesTheTreeDoesNotHoldYetAreNull()
    {
        Build(1, 300, out IMerkleLogStore store);
        var reader = new TileReader(store);
        Assert.Null(await reader.ReadHashTileAsync(TilePath.Hashes(0, 1), 300));
        Assert.Null(await reader.ReadHashTileAsync(TilePath.Hashes(0, 1, 45), 300));
        Assert.Null(await reader.ReadHashTileAsync(TilePath.Hashes(0, 2, 1), 300));
        Assert.Null(await reader.ReadHashTileAsync(TilePath.Hashes(1, 0, 2), 300));
        Assert.Null(await reader.ReadHashTileAsync(TilePath.Hashes(0, 0), 255));
        Assert.NotNull(await reader.ReadHashTileAsync(TilePath.Hashes(0, 1, 44), 300));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await reader.ReadHashTileAsync(TilePath.Hashes(0, 0, 1), 301));
        await Assert.ThrowsAsync<ArgumentException>(async () => await reader.ReadHashTileAsync(TilePath.Entries(0, 1), 300));
    }

    [Fact]
    public async Task APartialTileIsThePrefixOfTheFullTileItBecomes()
    {
        var store = new InMemoryMerkleLogStore();
        var log = new MerkleLog(store);
        var reader = new TileReader(store);
        for (int i = 0; i < 100; i++)
        {
            await log.AppendAsync(Entry(2, i));
        }

        Tile partial = (await reader.ReadHashTileAsync(TilePath.Hashes(0, 0, 100), 100))!;
        for (int i = 100; i < 256; i++)
        {
            await log.AppendAsync(Entry(2, i));
        }

        Tile full = (await reader.ReadHashTileAsync(TilePath.Hashes(0, 0), 256))!;
        Assert.Equal(partial.Data.ToArray(), full.Data[..(100 * 32)].ToArray());
        Tile again = (await reader.ReadHashTileAsync(TilePath.Hashes(0, 0, 100), 256))!;
        Assert.Equal(partial.Data.ToArray(), again.Data.ToArray());
    }

    [Fact]
    public void EntryBundlesFrameEachEntryWithABigEndianLength()
    {
        byte[] big = new byte[300];
        big[299] = 0xAB;
        Tile bundle = TileReader.EncodeEntryBundle(TilePath.Entries(3, 3), [Encoding.ASCII.GetBytes("ab"), Array.Empty<byte>(), big]);
        byte[] data = bundle.Data.ToArray();
        Assert.Equal([0x00, 0x02, (byte)'a', (byte)'b', 0x00, 0x00, 0x01, 0x2C], data[..8]);
        Assert.Equal(8 + 300, data.Length);
        Assert.Equal(0xAB, data[^1]);
        Assert.Equal(TilePath.Entries(3, 3), bundle.Path);
    }

    [Fact]
    public void EntryBundlesRefuseWrongCountsTooLongEntriesAndHashTilePaths()
    {
        Assert.Throws<ArgumentException>(() => TileReader.EncodeEntryBundle(TilePath.Entries(0, 2), [new byte[1]]));
        Assert.Throws<ArgumentException>(() => TileReader.EncodeEntryBundle(TilePath.Entries(0, 1), [new byte[65536]]));
        Assert.Throws<ArgumentException>(() => TileReader.EncodeEntryBundle(TilePath.Hashes(0, 0, 1), [new byte[1]]));
        Assert.Equal(65537, TileReader.EncodeEntryBundle(TilePath.Entries(0, 1), [new byte[65535]]).Data.Length);
    }

    private static MerkleLog Build(int seed, long size, out IMerkleLogStore store)
    {
        store = new InMemoryMerkleLogStore();
        return MerkleTestLog.Build(seed, size, store);
    }
}
