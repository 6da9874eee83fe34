namespace Wallet.Protocol.Payments;

/// <summary>
/// A provider's signed offer (PB/1 version 2): provider id, amount, nonce, the payment day, and a salted commitment to
/// the <see cref="PaymentDetails"/> (purpose and exact expiry). Coins spent against it sign its hash, which binds each
/// coin to this provider and these details. The scheme receives this signed part with every deposited coin; the details
/// stay with the provider and the worker, who receives them beside the request (<see cref="EncodeOffer"/>).
/// </summary>
/// <remarks>
/// Signature domain "PB1/payment-request" v1 over the body; <see cref="ProtocolMessage{TSelf}.Hash"/> = SHA-256 of the
/// full encoding. Version 2 replaced the clear purpose and the issue and expiry times in seconds (version 1), which let
/// the scheme group deposited payments into the sittings in which workers paid (issue 16).
/// </remarks>
public sealed class PaymentRequest : SignedProtocolMessage<PaymentRequest>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 2;

    /// <summary>Nonce length in bytes.</summary>
    public const int NonceLength = 32;

    /// <summary>Largest purpose text, in UTF-8 bytes.</summary>
    public const int MaxPurposeLength = PaymentDetails.MaxPurposeLength;

    /// <summary>Length of the details commitment in bytes.</summary>
    public const int CommitmentLength = 32;

    private const byte OfferVersion = 1;

    private const long SecondsPerDay = 86_400;

    private static readonly SignedMessageCodec<PaymentRequest> Codec = RegisterSigned("payment request", Version, "PB1/payment-request", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _nonce;

    private readonly byte[] _commitment;

    private PaymentId? _id;

    private PaymentRequest(AccountId provider, Amount amount, byte[] nonce, DateTimeOffset issuedOn, byte[] commitment, byte[] signature, PaymentDetails? details)
        : base(signature)
    {
        (Provider, Amount, _nonce, IssuedOn, _commitment, Details) = (provider, amount, nonce, issuedOn, commitment, details);
    }

    /// <summary>Gets the granularity of <see cref="IssuedOn"/>: one UTC day.</summary>
    public static TimeSpan TimeGranularity { get; } = TimeSpan.FromSeconds(SecondsPerDay);

    /// <summary>Gets the provider to be paid.</summary>
    public AccountId Provider { get; }

    /// <summary>Gets the amount due.</summary>
    public Amount Amount { get; }

    /// <summary>Gets the fresh random nonce.</summary>
    public ReadOnlySpan<byte> Nonce => _nonce;

    /// <summary>
    /// Gets the payment day: the start (00:00 UTC) of the day the request was made. It is the payment time of the scheme's
    /// accreditation and spend-window checks, which accept a payment when they pass at some moment of that day.
    /// </summary>
    public DateTimeOffset IssuedOn { get; }

    /// <summary>Gets the commitment to the details: SHA-256 of their encoding (<see cref="PaymentDetails.Commitment"/>).</summary>
    public ReadOnlySpan<byte> DetailsCommitment => _commitment;

    /// <summary>
    /// Gets the details (purpose, exact expiry) when this copy carries them: the provider's own, or the worker's from
    /// <see cref="DecodeOffer"/> or <see cref="WithDetails"/>. Null on a copy decoded from a spend, which is all the scheme sees.
    /// </summary>
    public PaymentDetails? Details { get; }

    /// <summary>Gets the payment's identifier: the SHA-256 hash of this request's signed encoding (details not included).</summary>
    /// <remarks>Every coin spent against this request belongs to the payment it names.</remarks>
    public PaymentId Id => _id ??= new PaymentId(Hash());

    /// <summary>Gets the start of the UTC day that contains <paramref name="time"/>.</summary>
    /// <param name="time">A time.</param>
    /// <returns>The day's start, as <see cref="IssuedOn"/> holds it.</returns>
    public static DateTimeOffset DayOf(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(Math.DivRem(time.ToUnixTimeSeconds(), SecondsPerDay) is var (q, rem) && rem < 0 ? (q - 1) * SecondsPerDay : q * SecondsPerDay);

    /// <summary>Creates and signs a request with fresh random details (salt, purpose, expiry).</summary>
    /// <param name="provider">The provider id.</param>
    /// <param name="amount">The amount; positive.</param>
    /// <param name="purpose">The purpose (NFC, at most 200 UTF-8 bytes).</param>
    /// <param name="nonce">32 random bytes.</param>
    /// <param name="issuedAt">The issue time; the request keeps only its day.</param>
    /// <param name="expiresAt">The expiry; not before <paramref name="issuedAt"/>.</param>
    /// <param name="receiptKey">The provider's receipt key.</param>
    /// <returns>The signed request, with its details.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The purpose, nonce or expiry is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is zero.</exception>
    public static PaymentRequest Sign(AccountId provider, Amount amount, string purpose, ReadOnlySpan<byte> nonce, DateTimeOffset issuedAt, DateTimeOffset expiresAt, Ed25519SigningKey receiptKey) =>
        Sign(provider, amount, nonce, issuedAt, PaymentDetails.Create(purpose, expiresAt), receiptKey);

    /// <summary>Creates and signs a request over given details (known-answer vectors use a fixed salt).</summary>
    /// <param name="provider">The provider id.</param>
    /// <param name="amount">The amount; positive.</param>
    /// <param name="nonce">32 random bytes.</param>
    /// <param name="issuedAt">The issue time; the request keeps only its day.</param>
    /// <param name="details">The details; their expiry is not before <paramref name="issuedAt"/>.</param>
    /// <param name="receiptKey">The provider's receipt key.</param>
    /// <returns>The signed request, with its details.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The nonce or expiry is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is zero.</exception>
    public static PaymentRequest Sign(AccountId provider, Amount amount, ReadOnlySpan<byte> nonce, DateTimeOffset issuedAt, PaymentDetails details, Ed25519SigningKey receiptKey)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(receiptKey);
        if (nonce.Length != NonceLength)
        {
            throw new ArgumentException("The nonce has 32 bytes.", nameof(nonce));
        }

        if (amount.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "The amount is positive.");
        }

        if (details.ExpiresAt < DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds()))
        {
            throw new ArgumentException("The expiry is not before the issue time.", nameof(details));
        }

        var day = DayOf(issuedAt);
        byte[] commitment = details.Commitment.ToArray();
        var unsigned = new PaymentRequest(provider, amount, nonce.ToArray(), day, commitment, new byte[Ed25519PublicKey.SignatureLength], null);
        byte[] signature = Codec.Sign(unsigned, receiptKey);
        return new PaymentRequest(provider, amount, nonce.ToArray(), day, commitment, signature, details);
    }

    /// <summary>Decodes what a provider hands a worker: the signed request and its details (<see cref="EncodeOffer"/>).</summary>
    /// <param name="encoded">The offer's encoding.</param>
    /// <returns>The request, with <see cref="Details"/> set.</returns>
    /// <exception cref="ProtocolFormatException">The encoding is malformed, or the details are not the ones the request commits to.</exception>
    public static PaymentRequest DecodeOffer(ReadOnlySpan<byte> encoded) => ProtocolCodec.Decode(encoded, ReadOffer, "payment offer");

    /// <summary>Decodes an offer without throwing on malformed input.</summary>
    /// <param name="encoded">The offer's encoding.</param>
    /// <param name="request">The request with its details, or null.</param>
    /// <returns>Whether it decoded and its details match.</returns>
    public static bool TryDecodeOffer(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out PaymentRequest? request) =>
        ProtocolCodec.TryDecode(encoded, ReadOffer, "payment offer", out request);

    /// <summary>
    /// Encodes the offer a provider hands a worker, and a wallet keeps: <c>u8 version = 1; opaque request&lt;1..65535&gt;;
    /// opaque details&lt;1..65535&gt;</c>. It is never sent to the scheme.
    /// </summary>
    /// <returns>The encoding.</returns>
    /// <exception cref="InvalidOperationException">This copy carries no details.</exception>
    public byte[] EncodeOffer()
    {
        var details = Details ?? throw new InvalidOperationException("This copy of the request carries no details.");
        return ProtocolCodec.Encode(w =>
        {
            w.U8(OfferVersion);
            w.Opaque16(Encode());
            w.Opaque16(details.Encode());
        });
    }

    /// <summary>Attaches the details this request commits to.</summary>
    /// <param name="details">The details.</param>
    /// <returns>A copy of this request carrying them.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="details"/> is null.</exception>
    /// <exception cref="ArgumentException">The request does not commit to these details.</exception>
    public PaymentRequest WithDetails(PaymentDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return details.Matches(_commitment)
            ? new PaymentRequest(Provider, Amount, _nonce, IssuedOn, _commitment, SignatureBytes, details)
            : throw new ArgumentException("The request does not commit to these details.", nameof(details));
    }

    /// <summary>Gets this request without its details: the copy a spend carries to the scheme.</summary>
    /// <returns>The request as the scheme sees it (the same encoding and <see cref="Id"/>).</returns>
    public PaymentRequest WithoutDetails() => Details is null ? this : new PaymentRequest(Provider, Amount, _nonce, IssuedOn, _commitment, SignatureBytes, null);

    /// <summary>Checks the provider's signature.</summary>
    /// <param name="receiptKey">The provider's receipt key from the registry.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="receiptKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey receiptKey) => IsSignedBy(receiptKey ?? throw new ArgumentNullException(nameof(receiptKey)));

    /// <summary>Whether the payment day has a moment in <c>[from, to]</c>: the day-granular form of a window check.</summary>
    /// <param name="from">The window's first moment.</param>
    /// <param name="to">The window's last moment.</param>
    /// <returns>Whether the day and the window overlap.</returns>
    public bool OverlapsDay(DateTimeOffset from, DateTimeOffset to) => from < IssuedOn + TimeGranularity && to >= IssuedOn && from <= to;

    /// <inheritdoc/>
    /// <remarks>Names neither the purpose nor the nonce.</remarks>
    public override string ToString() => $"PaymentRequest({Provider}, {Amount}, {IssuedOn:yyyy-MM-dd})";

    private static PaymentRequest ReadOffer(ref ProtocolReader r)
    {
        r.Version(OfferVersion, "payment offer");
        var request = Decode(r.Opaque16("request", 1));
        var details = PaymentDetails.Decode(r.Opaque16("details", 1));
        if (!details.Matches(request._commitment))
        {
            throw new ProtocolFormatException("The details are not the ones the request commits to.");
        }

        return request.WithDetails(details);
    }

    private static PaymentRequest ReadFields(ref ProtocolReader r)
    {
        var provider = r.Account("provider_id");
        var amount = r.Amount("amount", positive: true);
        byte[] nonce = r.Fixed(NonceLength, "nonce").ToArray();
        var day = r.Time("issued_on");
        if (day != DayOf(day))
        {
            throw new ProtocolFormatException("issued_on is not the start of a UTC day.");
        }

        byte[] commitment = r.Fixed(CommitmentLength, "details_hash").ToArray();
        return new PaymentRequest(provider, amount, nonce, day, commitment, r.Signature(), null);
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Provider.Value);
        w.Amount(Amount);
        w.Fixed(_nonce);
        w.Time(IssuedOn);
        w.Fixed(_commitment);
    }
}
