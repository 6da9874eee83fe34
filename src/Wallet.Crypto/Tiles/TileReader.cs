namespace Wallet.Crypto.Tiles;

/// <summary>
/// Reads a <see cref="MerkleLog"/>'s store as C2SP tlog-tiles: hash tiles straight from the stored nodes, and entry
/// bundles framed from the entries a caller supplies.
/// </summary>
/// <remarks>
/// C2SP tlog-tiles. The hash at position i of tile (L, N) is the root of the perfect subtree of <c>256^L</c> leaves
/// starting at leaf <c>(N·256 + i)·256^L</c>, which the store keeps as node <c>(8·L, N·256 + i)</c>, so a tile is one
/// node read and never a hash computation. A tile's first hashes never change as the log grows, so a partial tile
/// of width W read at any size of at least its start plus W is the same bytes.
/// </remarks>
public sealed class TileReader
{
    /// <summary>The longest entry an entry bundle can frame: its length prefix is a big-endian <c>uint16</c>.</summary>
    public const int MaxEntryLength = ushort.MaxValue;

    private readonly IMerkleLogStore _store;

    /// <summary>Creates a reader over a log's node store.</summary>
    /// <param name="store">The store behind the log.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    public TileReader(IMerkleLogStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Returns how many hashes (or entries) of a tile exist in the tree of <paramref name="treeSize"/> leaves.</summary>
    /// <param name="path">The tile or bundle; its width is ignored.</param>
    /// <param name="treeSize">The tree size.</param>
    /// <returns>0 (the tile is beyond the tree) to <see cref="TilePath.FullWidth"/> (the tile is full).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <remarks>C2SP tlog-tiles, "Partial Tiles": the rightmost tile of level L has <c>floor(s / 256^L) mod 256</c> hashes.</remarks>
    public static int AvailableWidth(TilePath path, ulong treeSize)
    {
        ArgumentNullException.ThrowIfNull(path);
        int nodeLevel = path.Level * TilePath.Height;
        if (nodeLevel >= MerkleNodeId.MaxLevels || path.Index > ulong.MaxValue / TilePath.FullWidth)
        {
            return 0;
        }

        ulong nodes = treeSize >> nodeLevel;
        ulong start = path.Index * TilePath.FullWidth;
        return nodes <= start ? 0 : (int)Math.Min(TilePath.FullWidth, nodes - start);
    }

    /// <summary>Reads a hash tile as of the tree of <paramref name="treeSize"/> leaves.</summary>
    /// <param name="path">A hash tile path.</param>
    /// <param name="treeSize">A tree size no greater than the store's leaf count.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>
    /// The tile, or <see langword="null"/> when the tree has fewer than <see cref="TilePath.Width"/> of its hashes (a full
    /// tile asked of a tree where it is still partial, or a tile beyond the tree).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> names an entry bundle.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="treeSize"/> exceeds the store's leaf count.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<Tile?> ReadHashTileAsync(TilePath path, ulong treeSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.IsEntryBundle)
        {
            throw new ArgumentException("An entry bundle is made from the log's entries, not its hashes.", nameof(path));
        }

        ulong stored = await _store.GetLeafCountAsync(cancellationToken).ConfigureAwait(false);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(treeSize, stored);
        if (AvailableWidth(path, treeSize) < path.Width)
        {
            return null;
        }

        int nodeLevel = path.Level * TilePath.Height;
        var ids = new MerkleNodeId[path.Width];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = new MerkleNodeId(nodeLevel, (path.Index * TilePath.FullWidth) + (ulong)i);
        }

        var hashes = new MerkleHash[ids.Length];
        await _store.ReadNodesAsync(ids, hashes, cancellationToken).ConfigureAwait(false);
        var data = new byte[hashes.Length * MerkleHash.Length];
        for (int i = 0; i < hashes.Length; i++)
        {
            hashes[i].Write(data.AsSpan(i * MerkleHash.Length));
        }

        return new Tile(path, data);
    }

    /// <summary>Frames a bundle's entries: each one as a big-endian <c>uint16</c> length and its bytes, in order.</summary>
    /// <param name="path">An entry bundle path.</param>
    /// <param name="entries">The log entries <c>path.Index·256</c> onwards, exactly <see cref="TilePath.Width"/> of them.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="entries"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="path"/> names a hash tile, the count of entries is not the path's width, or an entry is longer than
    /// <see cref="MaxEntryLength"/> bytes and cannot be framed.
    /// </exception>
    /// <remarks>C2SP tlog-tiles, "Log entries". Each entry hashes (RFC 6962 section 2.1) to the matching level-0 hash.</remarks>
    public static Tile EncodeEntryBundle(TilePath path, IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(entries);
        if (!path.IsEntryBundle)
        {
            throw new ArgumentException("A hash tile is read from the log's nodes.", nameof(path));
        }

        if (entries.Count != path.Width)
        {
            throw new ArgumentException($"The bundle holds {path.Width} entries.", nameof(entries));
        }

        int length = 0;
        foreach (ReadOnlyMemory<byte> entry in entries)
        {
            if (entry.Length > MaxEntryLength)
            {
                throw new ArgumentException($"An entry bundle frames entries of at most {MaxEntryLength} bytes.", nameof(entries));
            }

            length += 2 + entry.Length;
        }

        var data = new byte[length];
        int offset = 0;
        foreach (ReadOnlyMemory<byte> entry in entries)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(offset), (ushort)entry.Length);
            entry.Span.CopyTo(data.AsSpan(offset + 2));
            offset += 2 + entry.Length;
        }

        return new Tile(path, data);
    }
}
