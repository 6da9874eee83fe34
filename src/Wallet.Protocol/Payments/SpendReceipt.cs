namespace Wallet.Protocol.Payments;

/// <summary>
/// The provider's receipt to the worker once the payment's coins are deposited: provider, request hash, amount
/// and time. It names no worker and no coin.
/// </summary>
/// <remarks>Signature domain "PB1/spend-receipt" v1 over the body.</remarks>
public sealed class SpendReceipt : SignedProtocolMessage<SpendReceipt>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly SignedMessageCodec<SpendReceipt> Codec = RegisterSigned("spend receipt", Version, "PB1/spend-receipt", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _requestHash;

    private SpendReceipt(AccountId provider, byte[] requestHash, Amount amount, DateTimeOffset paidAt, byte[] signature)
        : base(signature)
    {
        (Provider, _requestHash, Amount, PaidAt) = (provider, requestHash, amount, paidAt);
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

    private static SpendReceipt ReadFields(ref ProtocolReader r)
    {
        var provider = r.Account("provider_id");
        byte[] hash = r.Fixed(32, "request_hash").ToArray();
        var amount = r.Amount("amount", positive: true);
        var paidAt = r.Time("paid_at");
        return new SpendReceipt(provider, hash, amount, paidAt, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Provider.Value);
        w.Fixed(_requestHash);
        w.Amount(Amount);
        w.Time(PaidAt);
    }
}
