namespace Wallet.Protocol.Withdrawals;

/// <summary>The scheme's signed statement that it debited a worker for a withdrawal request.</summary>
/// <remarks>Signature domain "PB1/withdrawal-receipt" v1 over the body.</remarks>
public sealed class WithdrawalReceipt : SignedProtocolMessage<WithdrawalReceipt>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly SignedMessageCodec<WithdrawalReceipt> Codec = RegisterSigned("withdrawal receipt", Version, "PB1/withdrawal-receipt", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _requestHash;

    private WithdrawalReceipt(AccountId account, IdempotencyKey key, byte[] requestHash, Amount total, int coinCount, DateTimeOffset issuedAt, byte[] signature)
        : base(signature)
    {
        (Account, IdempotencyKey, _requestHash, Total, CoinCount, IssuedAt) = (account, key, requestHash, total, coinCount, issuedAt);
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

    private static WithdrawalReceipt ReadFields(ref ProtocolReader r)
    {
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
        w.Ascii(Account.Value);
        w.Ascii(IdempotencyKey.Value);
        w.Fixed(_requestHash);
        w.Amount(Total);
        w.U16(CoinCount);
        w.Time(IssuedAt);
    }
}
