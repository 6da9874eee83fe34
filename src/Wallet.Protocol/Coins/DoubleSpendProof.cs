namespace Wallet.Protocol.Coins;

/// <summary>
/// Two different spends signed by one coin key. Anyone can check it with <see cref="Verify"/>: only the coin's
/// holder can sign a spend, so two distinct signed spends prove the holder spent the coin twice.
/// </summary>
/// <remarks>docs/PROTOCOL.md "Double spending".</remarks>
public sealed class DoubleSpendProof
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Pairs two spends.</summary>
    /// <param name="first">The spend that was deposited first.</param>
    /// <param name="second">The conflicting spend.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public DoubleSpendProof(CoinSpend first, CoinSpend second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        First = first;
        Second = second;
    }

    /// <summary>The spend deposited first.</summary>
    public CoinSpend First { get; }

    /// <summary>The conflicting spend.</summary>
    public CoinSpend Second { get; }

    /// <summary>The doubly spent coin.</summary>
    public CoinId Coin => First.Coin.Id;

    /// <summary>Checks the proof: same coin and keyset, different payment requests, both spend signatures valid.</summary>
    /// <returns>Whether the proof holds.</returns>
    public bool Verify() =>
        First.Coin.Id == Second.Coin.Id
        && First.Coin.Keyset == Second.Coin.Keyset
        && !First.Request.Hash().AsSpan().SequenceEqual(Second.Request.Hash())
        && First.VerifySpendSignature()
        && Second.VerifySpendSignature();

    /// <summary>The canonical encoding.</summary>
    /// <returns>The bytes.</returns>
    public byte[] Encode() => ProtocolCodec.Encode(w =>
    {
        w.U8(Version);
        First.Write(w);
        Second.Write(w);
    });

    /// <summary>Decodes a canonical encoding.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <returns>The proof (not yet verified).</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not canonical.</exception>
    public static DoubleSpendProof Decode(ReadOnlySpan<byte> encoded) => ProtocolCodec.Decode(encoded, Read, "double-spend proof");

    /// <summary>Decodes without throwing.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <param name="proof">The proof, or null.</param>
    /// <returns>Whether the bytes were canonical.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out DoubleSpendProof? proof) =>
        ProtocolCodec.TryDecode(encoded, Read, "double-spend proof", out proof);

    private static DoubleSpendProof Read(ref ProtocolReader r)
    {
        r.Version(Version, "double-spend proof");
        var first = CoinSpend.Read(ref r);
        return new DoubleSpendProof(first, CoinSpend.Read(ref r));
    }
}
