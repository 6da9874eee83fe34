namespace Wallet.Protocol.Swaps;

/// <summary>
/// The scheme's signed answer to an honoured swap or recovery: the hash of the request it answers, the value swapped,
/// one blind signature per output in order, and the time. Stored for replay and for restore.
/// </summary>
/// <remarks>Signature domain "PB1/swap-response" v1 over the body (blind signatures included). docs/PROTOCOL.md section 3.</remarks>
public sealed class SwapResponse : SignedProtocolMessage<SwapResponse>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly SignedMessageCodec<SwapResponse> Codec = RegisterSigned("swap response", Version, "PB1/swap-response", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _requestHash;

    private SwapResponse(byte[] requestHash, Amount total, ImmutableArray<BlindSignature> blindSignatures, DateTimeOffset issuedAt, byte[] signature)
        : base(signature)
    {
        (_requestHash, Total, BlindSignatures, IssuedAt) = (requestHash, total, blindSignatures, issuedAt);
    }

    /// <summary>SHA-256 of the request answered.</summary>
    public ReadOnlySpan<byte> RequestHash => _requestHash;

    /// <summary>The value spent and issued.</summary>
    public Amount Total { get; }

    /// <summary>The blind signatures, in output order.</summary>
    public ImmutableArray<BlindSignature> BlindSignatures { get; }

    /// <summary>When the scheme honoured the request.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>Signs a response.</summary>
    /// <param name="requestHash">SHA-256 of the request (the <see cref="ProtocolMessage{TSelf}.Hash"/> of a swap or recovery request).</param>
    /// <param name="total">The value swapped.</param>
    /// <param name="blindSignatures">1 to 256 blind signatures.</param>
    /// <param name="issuedAt">The time.</param>
    /// <param name="schemeKey">The scheme's key.</param>
    /// <returns>The response.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The hash is not 32 bytes, or the signature list is empty or too long.</exception>
    public static SwapResponse Sign(ReadOnlySpan<byte> requestHash, Amount total, IReadOnlyList<BlindSignature> blindSignatures, DateTimeOffset issuedAt, Ed25519SigningKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(blindSignatures);
        ArgumentNullException.ThrowIfNull(schemeKey);
        if (requestHash.Length != SwapSpend.HashLength)
        {
            throw new ArgumentException("The request hash has 32 bytes.", nameof(requestHash));
        }

        if (blindSignatures.Count is 0 or > SwapRequest.MaxItems)
        {
            throw new ArgumentException("A response has 1 to 256 blind signatures.", nameof(blindSignatures));
        }

        var unsigned = new SwapResponse(requestHash.ToArray(), total, [.. blindSignatures], DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds()), []);
        return new SwapResponse(unsigned._requestHash, total, unsigned.BlindSignatures, unsigned.IssuedAt, Codec.Sign(unsigned, schemeKey));
    }

    /// <summary>Checks the scheme's signature and that the response answers the request with this hash.</summary>
    /// <param name="requestHash">SHA-256 of the request that was sent.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <returns>Whether both hold.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="schemeKey"/> is null.</exception>
    public bool Verify(ReadOnlySpan<byte> requestHash, Ed25519PublicKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(schemeKey);
        return CryptographicOperations.FixedTimeEquals(requestHash, _requestHash)
            && Codec.Verify(this, schemeKey);
    }

    /// <inheritdoc/>
    public override string ToString() => $"SwapResponse({Total}, {BlindSignatures.Length} coins)";

    private static SwapResponse ReadFields(ref ProtocolReader r)
    {
        byte[] hash = r.Fixed(SwapSpend.HashLength, "request_hash").ToArray();
        var total = r.Amount("total");
        var sigs = r.List("blind_signatures", SwapRequest.MaxItems, WithdrawalResponse.ReadBlindSignature, "A swap response has at least one blind signature.");
        var issuedAt = r.Time("issued_at");
        return new SwapResponse(hash, total, sigs, issuedAt, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Fixed(_requestHash);
        w.Amount(Total);
        w.List(BlindSignatures, static (s, w) => w.Opaque16(s.AsSpan()));

        w.Time(IssuedAt);
    }
}
