namespace Wallet.Protocol.Payouts;

/// <summary>
/// The scheme's signed statement of one payout to a provider: the amount, the payable before and after it, everything
/// paid out to the provider so far, the payout's id (its journal entry) and the log index of the public record of it.
/// The provider keeps it as proof of what the scheme says it paid, and checks it against its own books.
/// </summary>
/// <remarks>
/// Signature domain <c>PB1/payout-statement</c> v1 over the body (docs/PROTOCOL.md 5.18). Decoding refuses a statement
/// whose payable before is not the payable after plus the amount, or whose total paid out is less than the amount.
/// </remarks>
public sealed class PayoutStatement : SignedProtocolMessage<PayoutStatement>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly SignedMessageCodec<PayoutStatement> Codec = RegisterSigned("payout statement", Version, "PB1/payout-statement", ReadFields, static (m, w) => m.WriteBody(w));

    private PayoutStatement(AccountId provider, Amount amount, Amount payableBefore, Amount payableAfter, Amount paidOutTotal, ulong payoutId, ulong logIndex, DateTimeOffset paidAt, byte[] signature)
        : base(signature)
    {
        (Provider, Amount, PayableBefore, PayableAfter, PaidOutTotal) = (provider, amount, payableBefore, payableAfter, paidOutTotal);
        (PayoutId, LogIndex, PaidAt) = (payoutId, logIndex, paidAt);
    }

    /// <summary>The provider paid.</summary>
    public AccountId Provider { get; }

    /// <summary>The amount paid out, positive.</summary>
    public Amount Amount { get; }

    /// <summary>The provider's payable just before the payout.</summary>
    public Amount PayableBefore { get; }

    /// <summary>The provider's payable just after the payout: <see cref="PayableBefore"/> less <see cref="Amount"/>.</summary>
    public Amount PayableAfter { get; }

    /// <summary>Everything paid out to the provider up to and including this payout.</summary>
    public Amount PaidOutTotal { get; }

    /// <summary>The payout's id: the sequence number of its entry in the scheme's journal, unique per payout.</summary>
    public ulong PayoutId { get; }

    /// <summary>The index of the <c>ProvidersPaidOut</c> log entry that records the payout publicly.</summary>
    public ulong LogIndex { get; }

    /// <summary>When the payout was made (whole seconds).</summary>
    public DateTimeOffset PaidAt { get; }

    /// <summary>Signs a statement.</summary>
    /// <param name="provider">The provider paid.</param>
    /// <param name="amount">The amount, positive.</param>
    /// <param name="payableAfter">The payable left after the payout.</param>
    /// <param name="paidOutTotal">Everything paid out to the provider so far, this payout included.</param>
    /// <param name="payoutId">The payout's journal entry sequence, from 1.</param>
    /// <param name="logIndex">The index of its log entry.</param>
    /// <param name="paidAt">When it was made.</param>
    /// <param name="schemeKey">The scheme's key.</param>
    /// <returns>The signed statement.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> or <paramref name="schemeKey"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="amount"/> is zero, <paramref name="payoutId"/> is zero, <paramref name="paidOutTotal"/> is less than
    /// <paramref name="amount"/>, or the payable before would leave the range of an amount.
    /// </exception>
    public static PayoutStatement Sign(AccountId provider, Amount amount, Amount payableAfter, Amount paidOutTotal, ulong payoutId, ulong logIndex, DateTimeOffset paidAt, Ed25519SigningKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentOutOfRangeException.ThrowIfZero(amount.MinorUnits, nameof(amount));
        ArgumentOutOfRangeException.ThrowIfZero(payoutId);
        ArgumentOutOfRangeException.ThrowIfLessThan(paidOutTotal.MinorUnits, amount.MinorUnits, nameof(paidOutTotal));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payableAfter.MinorUnits, long.MaxValue - amount.MinorUnits, nameof(payableAfter));
        var before = Amount.FromMinorUnits(payableAfter.MinorUnits + amount.MinorUnits);
        var at = DateTimeOffset.FromUnixTimeSeconds(paidAt.ToUnixTimeSeconds());
        var unsigned = new PayoutStatement(provider, amount, before, payableAfter, paidOutTotal, payoutId, logIndex, at, []);
        return new PayoutStatement(provider, amount, before, payableAfter, paidOutTotal, payoutId, logIndex, at, Codec.Sign(unsigned, schemeKey));
    }

    /// <summary>Checks the scheme's signature.</summary>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <returns>Whether the statement is the scheme's.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="schemeKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey schemeKey) => IsSignedBy(schemeKey ?? throw new ArgumentNullException(nameof(schemeKey)));

    /// <inheritdoc/>
    public override string ToString() => $"PayoutStatement({Provider}, {Amount}, #{PayoutId})";

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Provider.Value);
        w.Amount(Amount);
        w.Amount(PayableBefore);
        w.Amount(PayableAfter);
        w.Amount(PaidOutTotal);
        w.U64(PayoutId);
        w.U64(LogIndex);
        w.Time(PaidAt);
    }

    private static PayoutStatement ReadFields(ref ProtocolReader r)
    {
        var provider = r.Account("provider_id");
        var amount = r.Amount("amount", positive: true);
        var before = r.Amount("payable_before");
        var after = r.Amount("payable_after");
        var total = r.Amount("paid_out_total");
        ulong id = r.U64("payout_id");
        ulong logIndex = r.U64("log_index");
        var at = r.Time("paid_at");
        if (id == 0 || (Int128)after.MinorUnits + amount.MinorUnits != before.MinorUnits || total.MinorUnits < amount.MinorUnits)
        {
            throw new ProtocolFormatException("A payout statement's payable before is not its payable after plus its amount, or its id or total is out of range.");
        }

        return new PayoutStatement(provider, amount, before, after, total, id, logIndex, at, r.Signature());
    }
}
