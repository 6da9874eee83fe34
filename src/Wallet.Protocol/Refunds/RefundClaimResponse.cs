namespace Wallet.Protocol.Refunds;

/// <summary>
/// The scheme's signed answer to an honoured refund claim: the hash of the claim it answers, the refund id, the value
/// issued, one blind signature per output in order, and the time. Stored for replay.
/// </summary>
/// <remarks>Signature domain "PB1/refund-claim-response" v1 over the body. docs/PROTOCOL.md 5.17.</remarks>
public sealed class RefundClaimResponse : SignedProtocolMessage<RefundClaimResponse>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Length of the request hash (SHA-256).</summary>
    public const int HashLength = 32;

    private static readonly SignedMessageCodec<RefundClaimResponse> Codec = RegisterSigned("refund claim response", Version, "PB1/refund-claim-response", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _requestHash;

    private RefundClaimResponse(byte[] requestHash, RefundId refund, Amount total, ImmutableArray<BlindSignature> blindSignatures, DateTimeOffset issuedAt, byte[] signature)
        : base(signature)
    {
        (_requestHash, Refund, Total, BlindSignatures, IssuedAt) = (requestHash, refund, total, blindSignatures, issuedAt);
    }

    /// <summary>SHA-256 of the claim answered.</summary>
    public ReadOnlySpan<byte> RequestHash => _requestHash;

    /// <summary>The refund claimed.</summary>
    public RefundId Refund { get; }

    /// <summary>The value issued.</summary>
    public Amount Total { get; }

    /// <summary>The blind signatures, in output order.</summary>
    public ImmutableArray<BlindSignature> BlindSignatures { get; }

    /// <summary>When the scheme honoured the claim (whole seconds).</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>Signs a response.</summary>
    /// <param name="requestHash">SHA-256 of the claim (<see cref="ProtocolMessage{TSelf}.Hash"/>).</param>
    /// <param name="refund">The refund claimed.</param>
    /// <param name="total">The value issued.</param>
    /// <param name="blindSignatures">1 to 256 blind signatures.</param>
    /// <param name="issuedAt">The time.</param>
    /// <param name="schemeKey">The scheme's key.</param>
    /// <returns>The response.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The hash is not 32 bytes, or the signature list is empty or too long.</exception>
    public static RefundClaimResponse Sign(ReadOnlySpan<byte> requestHash, RefundId refund, Amount total, IReadOnlyList<BlindSignature> blindSignatures, DateTimeOffset issuedAt, Ed25519SigningKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(refund);
        ArgumentNullException.ThrowIfNull(blindSignatures);
        ArgumentNullException.ThrowIfNull(schemeKey);
        if (requestHash.Length != HashLength)
        {
            throw new ArgumentException("The request hash has 32 bytes.", nameof(requestHash));
        }

        if (blindSignatures.Count is 0 or > RefundClaimRequest.MaxOutputs)
        {
            throw new ArgumentException("A response has 1 to 256 blind signatures.", nameof(blindSignatures));
        }

        var unsigned = new RefundClaimResponse(requestHash.ToArray(), refund, total, [.. blindSignatures], DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds()), []);
        return new RefundClaimResponse(unsigned._requestHash, refund, total, unsigned.BlindSignatures, unsigned.IssuedAt, Codec.Sign(unsigned, schemeKey));
    }

    /// <summary>Checks the scheme's signature and that the response answers the claim with this hash.</summary>
    /// <param name="requestHash">SHA-256 of the claim that was sent.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <returns>Whether both hold.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="schemeKey"/> is null.</exception>
    public bool Verify(ReadOnlySpan<byte> requestHash, Ed25519PublicKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(schemeKey);
        return CryptographicOperations.FixedTimeEquals(requestHash, _requestHash) && Codec.Verify(this, schemeKey);
    }

    /// <inheritdoc/>
    public override string ToString() => $"RefundClaimResponse({Total}, {BlindSignatures.Length} coins)";

    private static RefundClaimResponse ReadFields(ref ProtocolReader r)
    {
        byte[] hash = r.Fixed(HashLength, "request_hash").ToArray();
        var refund = new RefundId(r.Fixed(RefundId.Length, "refund_id"));
        var total = r.Amount("total", positive: true);
        var sigs = r.List("blind_signatures", RefundClaimRequest.MaxOutputs, WithdrawalResponse.ReadBlindSignature, "A refund claim response has at least one blind signature.");
        var issuedAt = r.Time("issued_at");
        return new RefundClaimResponse(hash, refund, total, sigs, issuedAt, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Fixed(_requestHash);
        w.Fixed(Refund.Bytes);
        w.Amount(Total);
        w.List(BlindSignatures, static (s, w) => w.Opaque16(s.AsSpan()));
        w.Time(IssuedAt);
    }
}
