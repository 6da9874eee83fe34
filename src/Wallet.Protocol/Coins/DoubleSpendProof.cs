namespace Wallet.Protocol.Coins;

/// <summary>
/// Two different spends signed by one coin key. Anyone can check it with <see cref="Verify"/>: only the coin's
/// holder can sign a spend, so two distinct signed spends prove the holder spent the coin twice.
/// </summary>
/// <remarks>docs/PROTOCOL.md "Double spending".</remarks>
public sealed class DoubleSpendProof : ProtocolMessage<DoubleSpendProof>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly MessageCodec<DoubleSpendProof> Codec = Register(new MessageCodec<DoubleSpendProof>("double-spend proof", Version, ReadFields, static (m, w) => m.WriteFields(w)));

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

    private void WriteFields(ProtocolWriter w)
    {
        First.Write(w);
        Second.Write(w);
    }

    private static DoubleSpendProof ReadFields(ref ProtocolReader r)
    {
        var first = CoinSpend.Read(ref r);
        return new DoubleSpendProof(first, CoinSpend.Read(ref r));
    }
}
