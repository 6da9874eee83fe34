namespace Wallet.Protocol.Withdrawals;

/// <summary>The scheme's signed statement that it debited a worker for a withdrawal request.</summary>
/// <remarks>Signature domain "PB1/withdrawal-receipt" v1 over the body.</remarks>
public sealed class WithdrawalReceipt
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>The signature domain.</summary>
    public static SignatureDomain Domain => Codec.Domain;

    private static readonly SignedMessageCodec<WithdrawalReceipt> Codec =
        new("withdrawal receipt", new("PB1/withdrawal-receipt", 1), Read, static (m, w) => m.WriteBody(w), static m => m._signature);

    private readonly byte[] _requestHash;
    private readonly byte[] _signature;

    private WithdrawalReceipt(AccountId account, IdempotencyKey key, byte[] requestHash, Amount total, int coinCount, DateTimeOffset issuedAt, byte[] signature)
    {
        (Account, IdempotencyKey, _requestHash, Total, CoinCount, IssuedAt, _signature) = (account, key, requestHash, total, coinCount, issuedAt, signature);
    }

    /// <summary>The debited account.</summary>
    public AccountId Account { get; }

    /// <summary>The request's idempotency key.</summary>
    public IdempotencyKey IdempotencyKey { get; }

    /// <summary>SHA-256 of the withdrawal request.</summary>
    public ReadOnlySpan<byte> RequestHash => _requestHash;

    /// <summary>The amount debited.</summary>
    public Amount Total { get; }

    /// <summary>The number of coins signed.</summary>
    public int CoinCount { get; }

    /// <summary>When the scheme signed.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>Signs a receipt.</summary>
    /// <param name="request">The request honoured.</param>
    /// <param name="total">The amount debited.</param>
    /// <param name="issuedAt">The signing time.</param>
    /// <param name="schemeKey">The scheme's key.</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public static WithdrawalReceipt Sign(WithdrawalRequest request, Amount total, DateTimeOffset issuedAt, Ed25519SigningKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(schemeKey);
        var unsigned = new WithdrawalReceipt(request.Account, request.IdempotencyKey, request.Hash(), total, request.Items.Length, DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds()), []);
        return new WithdrawalReceipt(unsigned.Account, unsigned.IdempotencyKey, unsigned._requestHash, total, unsigned.CoinCount, unsigned.IssuedAt, Codec.Sign(unsigned, schemeKey));
    }

    /// <summary>Checks the receipt against the request and the scheme key.</summary>
    /// <param name="request">The request the wallet sent.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <returns>Whether the receipt is valid for that request.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool Verify(WithdrawalRequest request, Ed25519PublicKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(schemeKey);
        return request.Account == Account
            && request.IdempotencyKey == IdempotencyKey
            && request.Items.Length == CoinCount
            && request.Hash().AsSpan().SequenceEqual(_requestHash)
            && Codec.Verify(this, schemeKey);
    }

    /// <summary>The canonical encoding.</summary>
    /// <returns>The bytes.</returns>
    public byte[] Encode() => Codec.Encode(this);

    /// <summary>Decodes a canonical encoding.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <returns>The receipt (not yet verified).</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not canonical.</exception>
    public static WithdrawalReceipt Decode(ReadOnlySpan<byte> encoded) => Codec.Decode(encoded);

    /// <summary>Decodes without throwing.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <param name="receipt">The receipt, or null.</param>
    /// <returns>Whether the bytes were canonical.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out WithdrawalReceipt? receipt) => Codec.TryDecode(encoded, out receipt);

    internal void Write(ProtocolWriter w) => Codec.Write(this, w);

    internal static WithdrawalReceipt Read(ref ProtocolReader r)
    {
        r.Version(Version, Codec.Name);
        var account = r.Account("account_id");
        var key = new IdempotencyKey(r.Ascii("idempotency_key"));
        byte[] hash = r.Fixed(32, "request_hash").ToArray();
        var total = r.Amount("total");
        int count = r.U16("coin_count");
        var issuedAt = r.Time("issued_at");
        return new WithdrawalReceipt(account, key, hash, total, count, issuedAt, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.U8(Version);
        w.Ascii(Account.Value);
        w.Ascii(IdempotencyKey.Value);
        w.Fixed(_requestHash);
        w.Amount(Total);
        w.U16(CoinCount);
        w.Time(IssuedAt);
    }
}
