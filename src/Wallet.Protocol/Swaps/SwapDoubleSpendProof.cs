namespace Wallet.Protocol.Swaps;

/// <summary>
/// Proof that one coin key signed two different spends, at least one of them into a swap: the swap spend and the
/// earlier spend (a payment or another swap). Verifiable offline by anyone, like <see cref="DoubleSpendProof"/>.
/// </summary>
/// <remarks>docs/PROTOCOL.md sections 3 and 5.10.</remarks>
public sealed class SwapDoubleSpendProof : ProtocolMessage<SwapDoubleSpendProof>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly MessageCodec<SwapDoubleSpendProof> Codec = Register(new MessageCodec<SwapDoubleSpendProof>("swap double-spend proof", Version, ReadFields, static (m, w) => m.WriteFields(w)));

    private const byte PaymentKind = 1;
    private const byte SwapKind = 2;

    /// <summary>A swap spend that conflicts with an earlier payment.</summary>
    /// <param name="firstPayment">The earlier payment spend.</param>
    /// <param name="swap">The later swap spend.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public SwapDoubleSpendProof(CoinSpend firstPayment, SwapSpend swap)
    {
        ArgumentNullException.ThrowIfNull(firstPayment);
        ArgumentNullException.ThrowIfNull(swap);
        FirstPayment = firstPayment;
        Swap = swap;
    }

    /// <summary>A swap spend that conflicts with an earlier swap spend.</summary>
    /// <param name="firstSwap">The earlier swap spend.</param>
    /// <param name="swap">The later swap spend.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public SwapDoubleSpendProof(SwapSpend firstSwap, SwapSpend swap)
    {
        ArgumentNullException.ThrowIfNull(firstSwap);
        ArgumentNullException.ThrowIfNull(swap);
        FirstSwap = firstSwap;
        Swap = swap;
    }

    /// <summary>The earlier spend when it was a payment; otherwise null.</summary>
    public CoinSpend? FirstPayment { get; }

    /// <summary>The earlier spend when it was a swap; otherwise null.</summary>
    public SwapSpend? FirstSwap { get; }

    /// <summary>The later, refused swap spend.</summary>
    public SwapSpend Swap { get; }

    /// <summary>Checks that both spends are of the same coin, both signatures are valid and the spends differ.</summary>
    /// <returns>Whether the proof holds.</returns>
    public bool Verify()
    {
        var coin = FirstPayment?.Coin ?? FirstSwap!.Coin;
        if (coin.Id != Swap.Coin.Id || coin.Keyset != Swap.Coin.Keyset || !Swap.Verify())
        {
            return false;
        }

        return FirstPayment is not null
            ? FirstPayment.VerifySpendSignature()
            : FirstSwap!.Verify() && !FirstSwap.SwapHash.SequenceEqual(Swap.SwapHash);
    }

    private void WriteFields(ProtocolWriter w)
    {
        Swap.Write(w);
        if (FirstPayment is not null)
        {
            w.U8(PaymentKind);
            FirstPayment.Write(w);
        }
        else
        {
            w.U8(SwapKind);
            FirstSwap!.Write(w);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"SwapDoubleSpendProof({Swap.Coin.Id})";

    private static SwapDoubleSpendProof ReadFields(ref ProtocolReader r)
    {
        var swap = SwapSpend.Read(ref r);
        return r.U8("first_kind") switch
        {
            PaymentKind => new SwapDoubleSpendProof(CoinSpend.Read(ref r), swap),
            SwapKind => new SwapDoubleSpendProof(SwapSpend.Read(ref r), swap),
            _ => throw new ProtocolFormatException("Unknown first-spend kind."),
        };
    }
}
