namespace Wallet.Crypto.Tiles;

/// <summary>The bytes of one tiled-log resource: a hash tile (concatenated 32-byte hashes) or an entry bundle.</summary>
/// <remarks>C2SP tlog-tiles. Produced by <see cref="TileReader"/>; the bytes are public log data.</remarks>
public sealed class Tile
{
    internal Tile(TilePath path, byte[] data) => (Path, Data) = (path, data);

    /// <summary>Which tile or bundle this is.</summary>
    public TilePath Path { get; }

    /// <summary>The resource's bytes as served: <c>Width × 32</c> bytes for a hash tile; length-prefixed entries for a bundle.</summary>
    public ReadOnlyMemory<byte> Data { get; }
}
