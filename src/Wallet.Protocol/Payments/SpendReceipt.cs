namespace Wallet.Protocol.Payments;

/// <summary>
/// The provider's receipt to the worker once the payment's coins are deposited: provider, request hash, amount
/// and time. It names no worker and no coin.
/// </summary>
/// <remarks>Signature domain "PB1/spend-receipt" v1 over the body.</remarks>
public sealed class SpendReceipt
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>The signature domain.</summary>
    public static SignatureDomain Domain => Codec.Domain;

    private static readonly SignedMessageCodec<SpendReceipt> Codec =
        new("spend receipt", new("PB1/spend-receipt", 1), Read, static (m, w) => m.WriteBody(w), static m => m._signature);

    private readonly byte[] _requestHash;
    private readonly byte[] _signature;

    private SpendReceipt(AccountId provider, byte[] requestHash, Amount amount, DateTimeOffset paidAt, byte[] signature)
    {
        (Provider, _requestHash, Amount, PaidAt, _signature) = (provider, requestHash, amount, paidAt, signature);
    }

    /// <summary>The provider paid.</summary>
    public AccountId Provider { get; }

    /// <summary>SHA-256 of the payment request.</summary>
    public ReadOnlySpan<byte> RequestHash => _requestHash;

    /// <summary>The amount paid.</summary>
    public Amount Amount { get; }

    /// <summary>When the provider confirmed the payment.</summary>
    public DateTimeOffset PaidAt { get; }

    /// <summary>Signs a receipt for a paid request.</summary>
    /// <param name="request">The request that was paid.</param>
    /// <param name="paidAt">The confirmation time.</param>
    /// <param name="receiptKey">The provider's receipt key.</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public static SpendReceipt Sign(PaymentRequest request, DateTimeOffset paidAt, Ed25519SigningKey receiptKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(receiptKey);
        var unsigned = new SpendReceipt(request.Provider, request.Hash(), request.Amount, DateTimeOffset.FromUnixTimeSeconds(paidAt.ToUnixTimeSeconds()), []);
        return new SpendReceipt(unsigned.Provider, unsigned._requestHash, unsigned.Amount, unsigned.PaidAt, Codec.Sign(unsigned, receiptKey));
    }

    /// <summary>Checks the receipt against the request the worker paid and the provider's key.</summary>
    /// <param name="request">The paid request.</param>
    /// <param name="receiptKey">The provider's receipt key from the registry.</param>
    /// <returns>Whether the receipt is valid for that request.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool Verify(PaymentRequest request, Ed25519PublicKey receiptKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(receiptKey);
        return request.Provider == Provider
            && request.Amount == Amount
            && request.Hash().AsSpan().SequenceEqual(_requestHash)
            && Codec.Verify(this, receiptKey);
    }

    /// <summary>The canonical encoding.</summary>
    /// <returns>The bytes.</returns>
    public byte[] Encode() => Codec.Encode(this);

    /// <summary>Decodes a canonical encoding.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <returns>The receipt (not yet verified).</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not canonical.</exception>
    public static SpendReceipt Decode(ReadOnlySpan<byte> encoded) => Codec.Decode(encoded);

    /// <summary>Decodes without throwing.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <param name="receipt">The receipt, or null.</param>
    /// <returns>Whether the bytes were canonical.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out SpendReceipt? receipt) => Codec.TryDecode(encoded, out receipt);

    private static SpendReceipt Read(ref ProtocolReader r)
    {
        r.Version(Version, "spend receipt");
        var provider = r.Account("provider_id");
        byte[] hash = r.Fixed(32, "request_hash").ToArray();
        var amount = r.Amount("amount", positive: true);
        var paidAt = r.Time("paid_at");
        return new SpendReceipt(provider, hash, amount, paidAt, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.U8(Version);
        w.Ascii(Provider.Value);
        w.Fixed(_requestHash);
        w.Amount(Amount);
        w.Time(PaidAt);
    }
}
