namespace Wallet.Protocol.Binding;

// The refunds of a payment as the provider hands them to the holder of its coins (docs/PROTOCOL.md 5.17 and 5.20).
public static partial class ProviderEnvelopes
{
    /// <summary>The most refunds one payment's envelope carries (a payment of at most 1,024 coins, each refunded once at most).</summary>
    public const int MaxRefunds = 1024;

    /// <summary>Encodes a payment's refunds: version, the payment id (32 bytes), a u16 count, each refund's canonical encoding.</summary>
    /// <param name="payment">The payment.</param>
    /// <param name="refunds">Its refunds, each naming <paramref name="payment"/>.</param>
    /// <returns>The envelope bytes.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A refund is of another payment, or there are more than <see cref="MaxRefunds"/>.</exception>
    public static byte[] EncodeRefunds(PaymentId payment, IReadOnlyList<ProviderRefund> refunds)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(refunds);
        if (refunds.Count > MaxRefunds || refunds.Any(r => r.Payment != payment))
        {
            throw new ArgumentException($"At most {MaxRefunds} refunds, all of the payment.", nameof(refunds));
        }

        var w = new ProtocolWriter();
        w.U8(PbEnvelopes.Version);
        w.Fixed(payment.Bytes);
        w.U16(refunds.Count);
        foreach (var refund in refunds)
        {
            w.Opaque32(refund.Encode());
        }

        return w.ToArray();
    }

    /// <summary>Decodes <see cref="EncodeRefunds"/> bytes; every refund must name the envelope's payment.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The payment and its refunds; the refunds are decoded but their signatures not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static (PaymentId Payment, IReadOnlyList<ProviderRefund> Refunds) DecodeRefunds(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "payment refunds");
        var payment = new PaymentId(r.Fixed(PaymentId.Length, "payment"));
        var refunds = new ProviderRefund[r.Count("refunds", MaxRefunds)];
        for (int i = 0; i < refunds.Length; i++)
        {
            refunds[i] = ProviderRefund.Decode(r.Opaque32("refund", 1, MaxNested));
            if (refunds[i].Payment != payment)
            {
                throw new ProtocolFormatException("A refund in the envelope is of another payment.");
            }
        }

        return ((PaymentId, IReadOnlyList<ProviderRefund>))(payment, refunds);
    }, "payment refunds");
}
