namespace Wallet.Protocol.Binding;

// The single contribution's request and result envelopes (docs/http.md "Operator API"; the contributor: PROTOCOL.md 5.23).
public static partial class OperatorEnvelopes
{
    /// <summary>Encodes a contribution request that names no contributor: idempotency key, source, worker and amount.</summary>
    /// <param name="key">The key.</param>
    /// <param name="source">Where the contribution comes from.</param>
    /// <param name="worker">The worker's account.</param>
    /// <param name="amount">The amount.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeContribution(IdempotencyKey key, ContributionSource source, AccountId worker, Amount amount) =>
        EncodeContribution(key, null, source, worker, amount);

    /// <summary>
    /// Encodes a contribution request: idempotency key, source, worker, amount, then a flag and the contributor when
    /// one is named (docs/http.md "Operator API").
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="contributor">Who paid, or null.</param>
    /// <param name="source">Where the contribution comes from.</param>
    /// <param name="worker">The worker's account.</param>
    /// <param name="amount">The amount.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeContribution(IdempotencyKey key, AccountId? contributor, ContributionSource source, AccountId worker, Amount amount)
    {
        var w = Start();
        w.Ascii(key.Value);
        w.U8((byte)source);
        w.Ascii(worker.Value);
        w.I64(amount.MinorUnits);
        w.Flag(contributor is not null);
        if (contributor is not null)
        {
            w.Ascii(contributor.Value);
        }

        return w.ToArray();
    }

    /// <summary>Decodes a contribution request: idempotency key, source, worker and amount.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static (IdempotencyKey Key, ContributionSource Source, AccountId Worker, Amount Amount) DecodeContribution(ReadOnlySpan<byte> body)
    {
        var (key, _, source, worker, amount) = DecodeNamedContribution(body);
        return (key, source, worker, amount);
    }

    /// <summary>Decodes a contribution request with its contributor (null when it names none).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static (IdempotencyKey Key, AccountId? Contributor, ContributionSource Source, AccountId Worker, Amount Amount) DecodeNamedContribution(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "contribution");
        var key = new IdempotencyKey(r.Ascii("idempotency key", 1, byte.MaxValue));
        var source = Defined<ContributionSource>(r.U8("source"), "contribution source");
        var worker = new AccountId(r.Ascii("worker", 1, byte.MaxValue));
        var amount = Amount.FromMinorUnits(r.I64("amount"));
        var contributor = r.Flag("has contributor") ? r.Account("contributor") : null;
        return (key, contributor, source, worker, amount);
    }, "contribution");

    /// <summary>Encodes a contribution result: ledger status and replay flag.</summary>
    /// <param name="result">The result to encode.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeContributionResult(ContributionResult result)
    {
        var w = Start();
        w.U8((byte)result.Status);
        w.Flag(result.IsReplay);
        return w.ToArray();
    }

    /// <summary>Decodes a contribution result: ledger status and replay flag.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static ContributionResult DecodeContributionResult(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "contribution result");
        return new ContributionResult(Defined<LedgerStatus>(r.U8("status"), "ledger status"), r.Flag("replay"));
    }, "contribution result");
}
