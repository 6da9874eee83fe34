namespace Wallet.Protocol.Ledger;

/// <summary>A coin that could not be recorded spent because an earlier entry already spent it.</summary>
/// <param name="Coin">The coin.</param>
/// <param name="SpentInEntry">The sequence number of the entry that spent it first.</param>
/// <remarks>The protocol layer turns this into a verifiable double-spend proof (DESIGN.md section 3, flow 4).</remarks>
public sealed record CoinConflict(CoinId Coin, long SpentInEntry)
{
    private const int EncodedLength = CoinId.Length + 8;

    /// <summary>
    /// Encodes conflicts for storage beside an idempotency record: each is the 32-byte coin id followed by the
    /// entry sequence as a big-endian 64-bit integer.
    /// </summary>
    /// <param name="conflicts">The conflicts, in order.</param>
    /// <returns>The encoding; empty for no conflicts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="conflicts"/> is <see langword="null"/>.</exception>
    public static byte[] EncodeList(IReadOnlyList<CoinConflict> conflicts)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        var encoded = new byte[conflicts.Count * EncodedLength];
        for (int i = 0; i < conflicts.Count; i++)
        {
            var item = encoded.AsSpan(i * EncodedLength, EncodedLength);
            conflicts[i].Coin.Bytes.CopyTo(item);
            BinaryPrimitives.WriteInt64BigEndian(item[CoinId.Length..], conflicts[i].SpentInEntry);
        }

        return encoded;
    }

    /// <summary>Decodes <see cref="EncodeList"/>'s output; returns <see langword="false"/> for any other length.</summary>
    /// <param name="encoded">The stored bytes.</param>
    /// <param name="conflicts">The conflicts, when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the bytes were a list of conflicts.</returns>
    public static bool TryDecodeList(ReadOnlySpan<byte> encoded, out IReadOnlyList<CoinConflict> conflicts)
    {
        conflicts = [];
        if (encoded.Length % EncodedLength != 0)
        {
            return false;
        }

        var list = new CoinConflict[encoded.Length / EncodedLength];
        for (int i = 0; i < list.Length; i++)
        {
            var item = encoded.Slice(i * EncodedLength, EncodedLength);
            list[i] = new CoinConflict(new CoinId(item[..CoinId.Length]), BinaryPrimitives.ReadInt64BigEndian(item[CoinId.Length..]));
        }

        conflicts = list;
        return true;
    }
}
