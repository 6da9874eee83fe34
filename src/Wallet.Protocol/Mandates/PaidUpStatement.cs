namespace Wallet.Protocol.Mandates;

/// <summary>
/// The union's signed statement that a member is paid up (PB/1, docs/PROTOCOL.md 5.19): for one mandate and member
/// reference, how many periods from period 0 on are paid without a gap, the moment that pays up to, and when the
/// union said so. The member shows it to the union's own services (representation, strike pay, the vote); it names
/// nobody to anyone but the union.
/// </summary>
/// <remarks>Signature domain "PB1/paid-up-statement" v1 over the body.</remarks>
public sealed class PaidUpStatement : SignedProtocolMessage<PaidUpStatement>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly SignedMessageCodec<PaidUpStatement> Codec = RegisterSigned("paid-up statement", Version, "PB1/paid-up-statement", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _memberReference;

    private PaidUpStatement(AccountId provider, MandateId mandate, byte[] memberReference, uint periodsPaid, DateTimeOffset paidUntil, DateTimeOffset asOf, byte[] signature)
        : base(signature)
    {
        (Provider, Mandate, _memberReference, PeriodsPaid, PaidUntil, AsOf) = (provider, mandate, memberReference, periodsPaid, paidUntil, asOf);
    }

    /// <summary>Gets the union.</summary>
    public AccountId Provider { get; }

    /// <summary>Gets the mandate the statement is about.</summary>
    public MandateId Mandate { get; }

    /// <summary>Gets the member reference, as the mandate carries it.</summary>
    public ReadOnlySpan<byte> MemberReference => _memberReference;

    /// <summary>Gets how many periods are paid without a gap: periods 0 to <c>PeriodsPaid - 1</c>.</summary>
    public uint PeriodsPaid { get; }

    /// <summary>Gets the last period paid through, or null when none is.</summary>
    public uint? PaidThrough => PeriodsPaid == 0 ? null : PeriodsPaid - 1;

    /// <summary>Gets the end of the last period paid (the mandate's start when none is): the member is paid up until then.</summary>
    public DateTimeOffset PaidUntil { get; }

    /// <summary>Gets when the union made the statement.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Signs a statement for a mandate.</summary>
    /// <param name="mandate">The mandate.</param>
    /// <param name="periodsPaid">The periods paid without a gap from period 0; the mandate covers each of them.</param>
    /// <param name="asOf">The statement's time (whole seconds).</param>
    /// <param name="receiptKey">The union's receipt key.</param>
    /// <returns>The statement.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The mandate does not cover that many periods.</exception>
    public static PaidUpStatement Sign(DuesMandate mandate, uint periodsPaid, DateTimeOffset asOf, Ed25519SigningKey receiptKey)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        ArgumentNullException.ThrowIfNull(receiptKey);
        if (periodsPaid > 0 && !mandate.Covers(periodsPaid - 1))
        {
            throw new ArgumentOutOfRangeException(nameof(periodsPaid), "The mandate does not cover that many periods.");
        }

        var until = UntilOf(mandate, periodsPaid);
        var unsigned = new PaidUpStatement(mandate.Provider, mandate.Id, mandate.MemberReference.ToArray(), periodsPaid, until, DateTimeOffset.FromUnixTimeSeconds(asOf.ToUnixTimeSeconds()), []);
        return new PaidUpStatement(unsigned.Provider, unsigned.Mandate, unsigned._memberReference, periodsPaid, until, unsigned.AsOf, Codec.Sign(unsigned, receiptKey));
    }

    /// <summary>Checks the union's signature alone (what a union service holding no mandate can check).</summary>
    /// <param name="receiptKey">The union's receipt key from the registry.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="receiptKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey receiptKey) => IsSignedBy(receiptKey ?? throw new ArgumentNullException(nameof(receiptKey)));

    /// <summary>Checks the statement against its mandate: same union, mandate and member reference, a consistent paid-until moment, and the union's signature.</summary>
    /// <param name="mandate">The mandate.</param>
    /// <param name="receiptKey">The union's receipt key from the registry.</param>
    /// <returns>Whether it is valid for that mandate.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool Verify(DuesMandate mandate, Ed25519PublicKey receiptKey)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        ArgumentNullException.ThrowIfNull(receiptKey);
        return mandate.Provider == Provider
            && mandate.Id == Mandate
            && CryptographicOperations.FixedTimeEquals(mandate.MemberReference, _memberReference)
            && (PeriodsPaid == 0 || mandate.Covers(PeriodsPaid - 1))
            && UntilOf(mandate, PeriodsPaid) == PaidUntil
            && IsSignedBy(receiptKey);
    }

    /// <inheritdoc/>
    /// <remarks>Names no member reference.</remarks>
    public override string ToString() => $"PaidUpStatement({Provider}, {PeriodsPaid} periods, until {PaidUntil:u})";

    private static DateTimeOffset UntilOf(DuesMandate mandate, uint periodsPaid) =>
        mandate.StartsAt + TimeSpan.FromSeconds((long)periodsPaid * mandate.PeriodSeconds);

    private static PaidUpStatement ReadFields(ref ProtocolReader r)
    {
        var provider = r.Account("provider_id");
        var mandate = new MandateId(r.Fixed(MandateId.Length, "mandate_id"));
        byte[] member = r.Opaque8("member_reference", 1, DuesMandate.MaxMemberReferenceLength).ToArray();
        uint paid = r.U32("periods_paid");
        var until = r.Time("paid_until");
        var asOf = r.Time("as_of");
        return new PaidUpStatement(provider, mandate, member, paid, until, asOf, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Provider.Value);
        w.Fixed(Mandate.Bytes);
        w.Opaque8(_memberReference);
        w.U32(PeriodsPaid);
        w.Time(PaidUntil);
        w.Time(AsOf);
    }
}
