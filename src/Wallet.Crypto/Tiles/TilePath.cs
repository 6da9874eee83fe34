using System.Globalization;
using System.Text;

namespace Wallet.Crypto.Tiles;

/// <summary>
/// Names one resource of a tiled transparency log: a hash tile (level, index, width) or an entry bundle (index, width),
/// and reads and writes its path relative to the log's prefix, such as <c>tile/0/x001/234.p/5</c>.
/// </summary>
/// <remarks>
/// C2SP tlog-tiles, "Merkle Tree" and "Log entries". A tile is <see cref="FullWidth"/> consecutive Merkle Tree Hashes of
/// one tile level; the hashes of tile level L are the stored nodes of Merkle level <c>8·L</c>. The index is written as
/// zero-padded three-digit path elements, all but the last prefixed with <c>x</c>; a partial tile adds <c>.p/&lt;W&gt;</c>.
/// Only the canonical path of a resource parses: no leading zero in the level or width, no superfluous <c>x000</c> element.
/// </remarks>
public sealed class TilePath : IEquatable<TilePath>
{
    /// <summary>The number of hashes (or entries) in a full tile or bundle.</summary>
    public const int FullWidth = 256;

    /// <summary>The number of Merkle levels one tile spans.</summary>
    public const int Height = 8;

    /// <summary>The highest tile level a path may name.</summary>
    public const int MaxLevel = 63;

    private const string Root = "tile/";
    private const string EntriesElement = "entries";
    private const string PartialMarker = ".p/";

    private TilePath(bool isEntryBundle, int level, ulong index, int width) =>
        (IsEntryBundle, Level, Index, Width) = (isEntryBundle, level, index, width);

    /// <summary>Whether the path names an entry bundle rather than a hash tile.</summary>
    public bool IsEntryBundle { get; }

    /// <summary>The tile level, 0 to <see cref="MaxLevel"/>; 0 for an entry bundle, whose entries hash to the level-0 tile.</summary>
    public int Level { get; }

    /// <summary>The tile's index within its level.</summary>
    public ulong Index { get; }

    /// <summary>The number of hashes or entries: <see cref="FullWidth"/> for a full tile, 1 to 255 for a partial one.</summary>
    public int Width { get; }

    /// <summary>Whether the tile is partial (narrower than <see cref="FullWidth"/>).</summary>
    public bool IsPartial => Width < FullWidth;

    /// <summary>Names a hash tile.</summary>
    /// <param name="level">The tile level, 0 to <see cref="MaxLevel"/>.</param>
    /// <param name="index">The tile's index within the level.</param>
    /// <param name="width">1 to <see cref="FullWidth"/>; <see cref="FullWidth"/> (the default) for a full tile.</param>
    /// <returns>The path.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> or <paramref name="width"/> is out of range.</exception>
    public static TilePath Hashes(int level, ulong index, int width = FullWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        CheckWidth(width);
        return new TilePath(false, level, index, width);
    }

    /// <summary>Names an entry bundle.</summary>
    /// <param name="index">The bundle's index: it holds entries <c>index·256</c> onwards.</param>
    /// <param name="width">1 to <see cref="FullWidth"/>; <see cref="FullWidth"/> (the default) for a full bundle.</param>
    /// <returns>The path.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is out of range.</exception>
    public static TilePath Entries(ulong index, int width = FullWidth)
    {
        CheckWidth(width);
        return new TilePath(true, 0, index, width);
    }

    /// <summary>Parses a canonical tile or entry-bundle path relative to the log's prefix.</summary>
    /// <param name="path">For example <c>tile/1/x002/042</c> or <c>tile/entries/000.p/17</c>; no leading slash.</param>
    /// <param name="tile">The path, when the method returns <see langword="true"/>.</param>
    /// <returns>Whether <paramref name="path"/> is the canonical path of a tile or bundle.</returns>
    public static bool TryParse(string? path, [NotNullWhen(true)] out TilePath? tile)
    {
        tile = null;
        if (path is null || !path.StartsWith(Root, StringComparison.Ordinal) || path.Length > 200)
        {
            return false;
        }

        string rest = path[Root.Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        string first = rest[..slash];
        rest = rest[(slash + 1)..];
        bool entries = first == EntriesElement;
        int level = 0;
        if (!entries && !TryParseSmall(first, 0, MaxLevel, out level))
        {
            return false;
        }

        int width = FullWidth;
        int partial = rest.IndexOf(PartialMarker, StringComparison.Ordinal);
        if (partial >= 0)
        {
            if (!TryParseSmall(rest[(partial + PartialMarker.Length)..], 1, FullWidth - 1, out width))
            {
                return false;
            }

            rest = rest[..partial];
        }

        if (!TryParseIndex(rest, out ulong index))
        {
            return false;
        }

        var parsed = new TilePath(entries, level, index, width);
        if (!string.Equals(parsed.ToString(), path, StringComparison.Ordinal))
        {
            return false;
        }

        tile = parsed;
        return true;
    }

    /// <summary>Returns the canonical path relative to the log's prefix.</summary>
    /// <returns>For example <c>tile/0/x001/234.p/5</c>.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder(Root);
        builder.Append(IsEntryBundle ? EntriesElement : Level.ToString(CultureInfo.InvariantCulture)).Append('/');
        string digits = Index.ToString(CultureInfo.InvariantCulture);
        digits = digits.PadLeft((digits.Length + 2) / 3 * 3, '0');
        for (int i = 0; i < digits.Length; i += 3)
        {
            if (i + 3 < digits.Length)
            {
                builder.Append('x').Append(digits, i, 3).Append('/');
            }
            else
            {
                builder.Append(digits, i, 3);
            }
        }

        if (IsPartial)
        {
            builder.Append(PartialMarker).Append(Width.ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <inheritdoc />
    public bool Equals(TilePath? other) =>
        other is not null && other.IsEntryBundle == IsEntryBundle && other.Level == Level && other.Index == Index && other.Width == Width;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TilePath);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IsEntryBundle, Level, Index, Width);

    private static void CheckWidth(int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, FullWidth);
    }

    // Decimal with no sign and no leading zero; the canonical round trip in TryParse rejects the rest.
    private static bool TryParseSmall(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    private static bool TryParseIndex(string text, out ulong index)
    {
        index = 0;
        string[] elements = text.Split('/');
        for (int i = 0; i < elements.Length; i++)
        {
            string element = elements[i];
            bool last = i == elements.Length - 1;
            if (!last)
            {
                if (element.Length != 4 || element[0] != 'x')
                {
                    return false;
                }

                element = element[1..];
            }

            if (element.Length != 3 || !element.All(char.IsAsciiDigit))
            {
                return false;
            }

            ulong group = (ulong)int.Parse(element, NumberStyles.None, CultureInfo.InvariantCulture);
            if (index > (ulong.MaxValue - group) / 1000)
            {
                return false;
            }

            index = (index * 1000) + group;
        }

        return true;
    }
}
