namespace Wallet.Protocol.Payments;

/// <summary>
/// What a payment is for, kept between the provider and the worker (PB/1 version 2, docs/PROTOCOL.md section 5.4): the
/// purpose text, the exact expiry and a random salt. The signed <see cref="PaymentRequest"/> carries only
/// <see cref="Commitment"/>, a salted hash of these details, so the scheme, which sees every deposited request, learns
/// neither the purpose nor a time finer than the payment day; the salt keeps a short purpose from being guessed from
/// its hash.
/// </summary>
/// <remarks>Encoding: <c>u8 version = 1; u8 salt[32]; text purpose; i64 expires_at</c>. Commitment: SHA-256 of the encoding.</remarks>
public sealed class PaymentDetails : ProtocolMessage<PaymentDetails>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Salt length in bytes.</summary>
    public const int SaltLength = 32;

    /// <summary>Largest purpose text, in UTF-8 bytes.</summary>
    public const int MaxPurposeLength = 200;

    private static readonly MessageCodec<PaymentDetails> Codec = Register(new MessageCodec<PaymentDetails>("payment details", Version, ReadFields, static (m, w) => m.WriteFields(w)));

    private readonly byte[] _salt;

    private byte[]? _commitment;

    private PaymentDetails(byte[] salt, string purpose, DateTimeOffset expiresAt) => (_salt, Purpose, ExpiresAt) = (salt, purpose, expiresAt);

    /// <summary>Gets the random salt.</summary>
    public ReadOnlySpan<byte> Salt => _salt;

    /// <summary>Gets the purpose shown to the worker (e.g. "union dues 2026-11").</summary>
    public string Purpose { get; }

    /// <summary>Gets when the request stops being payable (whole seconds).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Gets the commitment the signed request carries: SHA-256 of this encoding.</summary>
    public ReadOnlySpan<byte> Commitment => _commitment ??= Hash();

    /// <summary>Creates the details of a request.</summary>
    /// <param name="salt">32 bytes; draw them at random for every request (<see cref="Create(string, DateTimeOffset)"/> does).</param>
    /// <param name="purpose">The purpose (NFC, at most 200 UTF-8 bytes).</param>
    /// <param name="expiresAt">The expiry (truncated to whole seconds).</param>
    /// <returns>The details.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="purpose"/> is null.</exception>
    /// <exception cref="ArgumentException">The salt has the wrong length, or the purpose is too long or not NFC.</exception>
    public static PaymentDetails Create(ReadOnlySpan<byte> salt, string purpose, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        if (salt.Length != SaltLength)
        {
            throw new ArgumentException("The salt has 32 bytes.", nameof(salt));
        }

        if (System.Text.Encoding.UTF8.GetByteCount(purpose) > MaxPurposeLength || !purpose.IsNormalized())
        {
            throw new ArgumentException("The purpose is NFC with at most 200 UTF-8 bytes.", nameof(purpose));
        }

        return new PaymentDetails(salt.ToArray(), purpose, DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }

    /// <summary>Creates the details of a request with a fresh random salt.</summary>
    /// <param name="purpose">The purpose (NFC, at most 200 UTF-8 bytes).</param>
    /// <param name="expiresAt">The expiry (truncated to whole seconds).</param>
    /// <returns>The details.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="purpose"/> is null.</exception>
    /// <exception cref="ArgumentException">The purpose is too long or not NFC.</exception>
    public static PaymentDetails Create(string purpose, DateTimeOffset expiresAt) => Create(RandomNumberGenerator.GetBytes(SaltLength), purpose, expiresAt);

    /// <summary>Whether these are the details <paramref name="commitment"/> commits to (constant time).</summary>
    /// <param name="commitment">A request's details commitment.</param>
    /// <returns>Whether they match.</returns>
    public bool Matches(ReadOnlySpan<byte> commitment) => CryptographicOperations.FixedTimeEquals(Commitment, commitment);

    /// <inheritdoc/>
    /// <remarks>Names no purpose: the details are the worker's.</remarks>
    public override string ToString() => $"PaymentDetails(expires {ExpiresAt:u})";

    private static PaymentDetails ReadFields(ref ProtocolReader r)
    {
        byte[] salt = r.Fixed(SaltLength, "salt").ToArray();
        string purpose = r.Utf8("purpose", MaxPurposeLength);
        return new PaymentDetails(salt, purpose, r.Time("expires_at"));
    }

    private void WriteFields(ProtocolWriter w)
    {
        w.Fixed(_salt);
        w.Utf8(Purpose);
        w.Time(ExpiresAt);
    }
}
