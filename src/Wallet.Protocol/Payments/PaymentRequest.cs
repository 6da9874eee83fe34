namespace Wallet.Protocol.Payments;

/// <summary>
/// A provider's signed offer: provider id, amount, purpose, nonce, issue time and expiry. Coins spent against it
/// sign its hash, which binds each coin to this provider and purpose.
/// </summary>
/// <remarks>Signature domain "PB1/payment-request" v1 over the body; <see cref="ProtocolMessage{TSelf}.Hash"/> = SHA-256 of the full encoding.</remarks>
public sealed class PaymentRequest : SignedProtocolMessage<PaymentRequest>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Nonce length in bytes.</summary>
    public const int NonceLength = 32;

    /// <summary>Largest purpose text, in UTF-8 bytes.</summary>
    public const int MaxPurposeLength = 200;

    private static readonly SignedMessageCodec<PaymentRequest> Codec = RegisterSigned("payment request", Version, "PB1/payment-request", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _nonce;

    private PaymentId? _id;

    private PaymentRequest(AccountId provider, Amount amount, string purpose, byte[] nonce, DateTimeOffset issuedAt, DateTimeOffset expiresAt, byte[] signature)
        : base(signature)
    {
        (Provider, Amount, Purpose, _nonce, IssuedAt, ExpiresAt) = (provider, amount, purpose, nonce, issuedAt, expiresAt);
    }

    /// <summary>The provider to be paid.</summary>
    public AccountId Provider { get; }

    /// <summary>The amount due.</summary>
    public Amount Amount { get; }

    /// <summary>The purpose shown to the worker (e.g. "union dues 2026-11").</summary>
    public string Purpose { get; }

    /// <summary>A fresh random nonce.</summary>
    public ReadOnlySpan<byte> Nonce => _nonce;

    /// <summary>Gets the payment's identifier: the SHA-256 hash of this request's signed encoding.</summary>
    /// <remarks>Every coin spent against this request belongs to the payment it names.</remarks>
    public PaymentId Id => _id ??= new PaymentId(Hash());

    /// <summary>When the request was made: the payment time for window and accreditation checks.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>When the request stops being payable.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Creates and signs a request.</summary>
    /// <param name="provider">The provider id.</param>
    /// <param name="amount">The amount; positive.</param>
    /// <param name="purpose">The purpose (NFC, at most 200 UTF-8 bytes).</param>
    /// <param name="nonce">32 random bytes.</param>
    /// <param name="issuedAt">The issue time.</param>
    /// <param name="expiresAt">The expiry; not before <paramref name="issuedAt"/>.</param>
    /// <param name="receiptKey">The provider's receipt key.</param>
    /// <returns>The signed request.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The purpose, nonce or expiry is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is zero.</exception>
    public static PaymentRequest Sign(AccountId provider, Amount amount, string purpose, ReadOnlySpan<byte> nonce, DateTimeOffset issuedAt, DateTimeOffset expiresAt, Ed25519SigningKey receiptKey)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(receiptKey);
        if (nonce.Length != NonceLength)
        {
            throw new ArgumentException("The nonce has 32 bytes.", nameof(nonce));
        }

        if (System.Text.Encoding.UTF8.GetByteCount(purpose) > MaxPurposeLength || !purpose.IsNormalized())
        {
            throw new ArgumentException("The purpose is NFC with at most 200 UTF-8 bytes.", nameof(purpose));
        }

        if (amount.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "The amount is positive.");
        }

        var issued = DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds());
        var expires = DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds());
        if (expires < issued)
        {
            throw new ArgumentException("The expiry is not before the issue time.", nameof(expiresAt));
        }

        var unsigned = new PaymentRequest(provider, amount, purpose, nonce.ToArray(), issued, expires, new byte[Ed25519PublicKey.SignatureLength]);
        byte[] signature = Codec.Sign(unsigned, receiptKey);
        return new PaymentRequest(provider, amount, purpose, nonce.ToArray(), issued, expires, signature);
    }

    /// <summary>Checks the provider's signature.</summary>
    /// <param name="receiptKey">The provider's receipt key from the registry.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="receiptKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey receiptKey) => IsSignedBy(receiptKey ?? throw new ArgumentNullException(nameof(receiptKey)));

    /// <inheritdoc/>
    public override string ToString() => $"PaymentRequest({Provider}, {Amount})";

    private static PaymentRequest ReadFields(ref ProtocolReader r)
    {
        var provider = r.Account("provider_id");
        var amount = r.Amount("amount", positive: true);
        string purpose = r.Utf8("purpose", MaxPurposeLength);
        byte[] nonce = r.Fixed(NonceLength, "nonce").ToArray();
        var issued = r.Time("issued_at");
        var expires = r.Time("expires_at");
        if (expires < issued)
        {
            throw new ProtocolFormatException("expires_at precedes issued_at.");
        }

        return new PaymentRequest(provider, amount, purpose, nonce, issued, expires, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Provider.Value);
        w.Amount(Amount);
        w.Utf8(Purpose);
        w.Fixed(_nonce);
        w.Time(IssuedAt);
        w.Time(ExpiresAt);
    }
}
