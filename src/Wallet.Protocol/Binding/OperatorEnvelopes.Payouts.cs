namespace Wallet.Protocol.Binding;

// The payout call's envelopes (docs/PROTOCOL.md 5.18, docs/http.md "Operator API").
public static partial class OperatorEnvelopes
{
    /// <summary>Encodes a payout request: idempotency key, provider and amount.</summary>
    /// <param name="key">The key.</param>
    /// <param name="provider">The provider paid.</param>
    /// <param name="amount">The amount.</param>
    /// <returns>The envelope bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="provider"/> is null.</exception>
    public static byte[] EncodePayout(IdempotencyKey key, AccountId provider, Amount amount)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(provider);
        var w = Start();
        w.Ascii(key.Value);
        w.Ascii(provider.Value);
        w.Amount(amount);
        return w.ToArray();
    }

    /// <summary>Decodes a payout request: idempotency key, provider and amount (more than zero).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope, or the amount is not positive.</exception>
    public static (IdempotencyKey Key, AccountId Provider, Amount Amount) DecodePayout(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "payout");
        var key = new IdempotencyKey(r.Ascii("idempotency key", 1, byte.MaxValue));
        var provider = new AccountId(r.Ascii("provider", 1, byte.MaxValue));
        return (key, provider, r.Amount("amount", positive: true));
    }, "payout");

    /// <summary>Encodes a payout result: status, replay flag and, when paid, the signed statement.</summary>
    /// <param name="result">The result to encode.</param>
    /// <returns>The envelope bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public static byte[] EncodePayoutResult(PayoutResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var w = Start();
        w.U8((byte)result.Status);
        w.Flag(result.IsReplay);
        w.Flag(result.Statement is not null);
        if (result.Statement is { } statement)
        {
            w.Opaque32(statement.Encode());
        }

        return w.ToArray();
    }

    /// <summary>Decodes a payout result: status, replay flag and, when paid, the statement (decoded, not verified).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope, or a statement comes without the paid status or the reverse.</exception>
    public static PayoutResult DecodePayoutResult(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "payout result");
        var status = Defined<PayoutStatus>(r.U8("status"), "payout status");
        bool replay = r.Flag("replay");
        bool present = r.Flag("statement");
        if (present != (status == PayoutStatus.Paid))
        {
            throw new ProtocolFormatException("A payout statement comes with, and only with, the paid status.");
        }

        var statement = present ? PayoutStatement.Decode(r.Opaque32("statement", 1, MaxNested)) : null;
        return new PayoutResult(status, statement, replay);
    }, "payout result");
}
