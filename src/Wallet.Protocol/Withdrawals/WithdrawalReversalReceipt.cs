namespace Wallet.Protocol.Withdrawals;

/// <summary>
/// The scheme's signed statement that a withdrawal request it debited will never be issued and its value went back to
/// the worker's account: the answer a wallet gets, instead of coins, when a keyset of the request can never sign again.
/// </summary>
/// <remarks>Signature domain "PB1/withdrawal-reversal" v1 over the body. docs/PROTOCOL.md section 5.3.</remarks>
public sealed class WithdrawalReversalReceipt : SignedProtocolMessage<WithdrawalReversalReceipt>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly SignedMessageCodec<WithdrawalReversalReceipt> Codec = RegisterSigned("withdrawal reversal", Version, "PB1/withdrawal-reversal", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _requestHash;

    private WithdrawalReversalReceipt(AccountId account, IdempotencyKey key, byte[] requestHash, Amount total, DateTimeOffset reversedAt, byte[] signature)
        : base(signature)
    {
        (Account, IdempotencyKey, _requestHash, Total, ReversedAt) = (account, key, requestHash, total, reversedAt);
    }

    /// <summary>The account credited back.</summary>
    public AccountId Account { get; }

    /// <summary>The withdrawal request's idempotency key.</summary>
    public IdempotencyKey IdempotencyKey { get; }

    /// <summary>SHA-256 of the withdrawal request.</summary>
    public ReadOnlySpan<byte> RequestHash => _requestHash;

    /// <summary>The amount returned to the account (the withdrawal's debit).</summary>
    public Amount Total { get; }

    /// <summary>When the scheme signed this answer (whole seconds).</summary>
    public DateTimeOffset ReversedAt { get; }

    /// <summary>Signs a reversal answer for a request.</summary>
    /// <param name="request">The withdrawal request whose debit was reversed.</param>
    /// <param name="total">The amount returned.</param>
    /// <param name="reversedAt">The signing time.</param>
    /// <param name="schemeKey">The scheme's key.</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public static WithdrawalReversalReceipt Sign(WithdrawalRequest request, Amount total, DateTimeOffset reversedAt, Ed25519SigningKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(schemeKey);
        var unsigned = new WithdrawalReversalReceipt(request.Account, request.IdempotencyKey, request.Hash(), total, DateTimeOffset.FromUnixTimeSeconds(reversedAt.ToUnixTimeSeconds()), []);
        return new WithdrawalReversalReceipt(unsigned.Account, unsigned.IdempotencyKey, unsigned._requestHash, total, unsigned.ReversedAt, Codec.Sign(unsigned, schemeKey));
    }

    /// <summary>Checks the receipt against the request the wallet sent and the scheme key.</summary>
    /// <param name="request">The request the wallet sent.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <returns>Whether the receipt is the scheme's and is for that request.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool Verify(WithdrawalRequest request, Ed25519PublicKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(schemeKey);
        return request.Account == Account
            && request.IdempotencyKey == IdempotencyKey
            && request.Hash().AsSpan().SequenceEqual(_requestHash)
            && Codec.Verify(this, schemeKey);
    }

    private static WithdrawalReversalReceipt ReadFields(ref ProtocolReader r)
    {
        var account = r.Account("account_id");
        var key = new IdempotencyKey(r.Ascii("idempotency_key"));
        byte[] hash = r.Fixed(32, "request_hash").ToArray();
        var total = r.Amount("total");
        var reversedAt = r.Time("reversed_at");
        return new WithdrawalReversalReceipt(account, key, hash, total, reversedAt, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Account.Value);
        w.Ascii(IdempotencyKey.Value);
        w.Fixed(_requestHash);
        w.Amount(Total);
        w.Time(ReversedAt);
    }
}
