namespace Wallet.Protocol.Mandates;

/// <summary>
/// A union's standing order for a member's dues (PB/1, docs/PROTOCOL.md 5.19), signed with the union's (the provider's)
/// registered receipt key: which mandate, which provider, a member reference only the union understands, the amount per
/// period, the fund it is paid from, the period length, the pay window inside each period, the start and an optional end.
/// The member's wallet keeps it and pays each period by itself; the scheme never sees it.
/// </summary>
/// <remarks>
/// Signature domain "PB1/dues-mandate" v1 over the body. Periods are fixed lengths of whole seconds counted from
/// <see cref="StartsAt"/> (period 0 starts there), not calendar months: a union that picks the scheme's epoch length and
/// starts at an epoch boundary gets one period per keyset month, so each period is paid with that month's coins, and a
/// fixed length has one meaning everywhere (no time zones, no months of 28 to 31 days).
/// </remarks>
public sealed class DuesMandate : SignedProtocolMessage<DuesMandate>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Largest member reference, in bytes.</summary>
    public const int MaxMemberReferenceLength = 64;

    /// <summary>Shortest period: one hour.</summary>
    public const uint MinPeriodSeconds = 3_600;

    /// <summary>Longest period: 366 days.</summary>
    public const uint MaxPeriodSeconds = 366 * 86_400;

    private static readonly SignedMessageCodec<DuesMandate> Codec = RegisterSigned("dues mandate", Version, "PB1/dues-mandate", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _memberReference;

    private DuesMandate(MandateId id, AccountId provider, byte[] memberReference, Amount amount, string fund, uint periodSeconds, uint payWindowSeconds, DateTimeOffset startsAt, DateTimeOffset? endsAt, byte[] signature)
        : base(signature)
    {
        (Id, Provider, _memberReference, Amount, Fund, PeriodSeconds, PayWindowSeconds, StartsAt, EndsAt) = (id, provider, memberReference, amount, fund, periodSeconds, payWindowSeconds, startsAt, endsAt);
    }

    /// <summary>Gets the mandate's identifier.</summary>
    public MandateId Id { get; }

    /// <summary>Gets the union (provider) paid.</summary>
    public AccountId Provider { get; }

    /// <summary>Gets the member reference: opaque bytes only the union interprets (1 to 64 bytes).</summary>
    public ReadOnlySpan<byte> MemberReference => _memberReference;

    /// <summary>Gets the amount due each period.</summary>
    public Amount Amount { get; }

    /// <summary>Gets the fund the dues are paid from (a keyset fund token).</summary>
    public string Fund { get; }

    /// <summary>Gets the length of one period in seconds.</summary>
    public uint PeriodSeconds { get; }

    /// <summary>Gets the length, from each period's start, of the window in which the wallet pays that period.</summary>
    public uint PayWindowSeconds { get; }

    /// <summary>Gets the start of period 0.</summary>
    public DateTimeOffset StartsAt { get; }

    /// <summary>Gets the end, or null for an open-ended mandate: the last period is the one that starts before it.</summary>
    public DateTimeOffset? EndsAt { get; }

    /// <summary>Gets the period length.</summary>
    public TimeSpan Period => TimeSpan.FromSeconds(PeriodSeconds);

    /// <summary>Creates and signs a mandate.</summary>
    /// <param name="id">The mandate's identifier (<see cref="MandateId.New"/>).</param>
    /// <param name="provider">The union's provider id.</param>
    /// <param name="memberReference">The member reference (1 to 64 bytes).</param>
    /// <param name="amount">The amount per period; positive.</param>
    /// <param name="fund">The fund token.</param>
    /// <param name="period">The period length: whole seconds, one hour to 366 days.</param>
    /// <param name="payWindow">The pay window from each period's start: whole seconds, positive, at most <paramref name="period"/>.</param>
    /// <param name="startsAt">The start of period 0 (truncated to whole seconds).</param>
    /// <param name="endsAt">The end, after <paramref name="startsAt"/>; null for none.</param>
    /// <param name="receiptKey">The union's receipt key.</param>
    /// <returns>The signed mandate.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The member reference, fund, period, window or end is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is zero.</exception>
    public static DuesMandate Sign(MandateId id, AccountId provider, ReadOnlySpan<byte> memberReference, Amount amount, string fund, TimeSpan period, TimeSpan payWindow, DateTimeOffset startsAt, DateTimeOffset? endsAt, Ed25519SigningKey receiptKey)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(fund);
        ArgumentNullException.ThrowIfNull(receiptKey);
        if (memberReference.Length is 0 or > MaxMemberReferenceLength)
        {
            throw new ArgumentException("The member reference has 1 to 64 bytes.", nameof(memberReference));
        }

        if (amount.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "The amount is positive.");
        }

        AsciiToken.Validate(fund, nameof(fund));
        if (period.Ticks % TimeSpan.TicksPerSecond != 0 || period.TotalSeconds is < MinPeriodSeconds or > MaxPeriodSeconds)
        {
            throw new ArgumentException("The period is whole seconds, from one hour to 366 days.", nameof(period));
        }

        if (payWindow.Ticks % TimeSpan.TicksPerSecond != 0 || payWindow <= TimeSpan.Zero || payWindow > period)
        {
            throw new ArgumentException("The pay window is whole seconds, positive and at most the period.", nameof(payWindow));
        }

        var start = DateTimeOffset.FromUnixTimeSeconds(startsAt.ToUnixTimeSeconds());
        var end = endsAt is { } e ? DateTimeOffset.FromUnixTimeSeconds(e.ToUnixTimeSeconds()) : (DateTimeOffset?)null;
        if (end <= start)
        {
            throw new ArgumentException("The end is after the start.", nameof(endsAt));
        }

        var unsigned = new DuesMandate(id, provider, memberReference.ToArray(), amount, fund, (uint)period.TotalSeconds, (uint)payWindow.TotalSeconds, start, end, []);
        return new DuesMandate(id, provider, unsigned._memberReference, amount, fund, unsigned.PeriodSeconds, unsigned.PayWindowSeconds, start, end, Codec.Sign(unsigned, receiptKey));
    }

    /// <summary>Checks the union's signature.</summary>
    /// <param name="receiptKey">The union's receipt key from the registry.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="receiptKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey receiptKey) => IsSignedBy(receiptKey ?? throw new ArgumentNullException(nameof(receiptKey)));

    /// <summary>Whether period <paramref name="period"/> exists: it starts before the end (always, without one).</summary>
    /// <param name="period">The period index.</param>
    /// <returns>Whether the mandate covers it.</returns>
    public bool Covers(uint period) => StartsAt.ToUnixTimeSeconds() + ((long)period * PeriodSeconds) is var start
        && start <= MaxSeconds
        && (EndsAt is not { } end || start < end.ToUnixTimeSeconds());

    /// <summary>Gets the start of period <paramref name="period"/>.</summary>
    /// <param name="period">The period index.</param>
    /// <returns>Its first moment.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The mandate does not cover the period.</exception>
    public DateTimeOffset PeriodStart(uint period) => Covers(period)
        ? StartsAt + TimeSpan.FromSeconds((long)period * PeriodSeconds)
        : throw new ArgumentOutOfRangeException(nameof(period), "The mandate does not cover this period.");

    /// <summary>Gets the period that contains <paramref name="time"/>, or null before the start or from the end on.</summary>
    /// <param name="time">A time.</param>
    /// <returns>The period index, or null.</returns>
    public uint? PeriodAt(DateTimeOffset time)
    {
        long elapsed = time.ToUnixTimeSeconds() - StartsAt.ToUnixTimeSeconds();
        if (elapsed < 0 || elapsed / PeriodSeconds > uint.MaxValue || time >= EndsAt)
        {
            return null;
        }

        uint period = (uint)(elapsed / PeriodSeconds);
        return Covers(period) ? period : null;
    }

    /// <summary>
    /// Gets the purpose text of the payment request the union issues for a period: what binds the request, and so its
    /// coins, to (mandate, period). It sits in the request's <see cref="PaymentDetails"/>, of which the scheme sees only a
    /// salted hash.
    /// </summary>
    /// <param name="period">The period index.</param>
    /// <returns>The purpose.</returns>
    public string PurposeFor(uint period) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"dues {Id} period {period}");

    /// <inheritdoc/>
    /// <remarks>Names neither the member reference nor the mandate id.</remarks>
    public override string ToString() => $"DuesMandate({Provider}, {Amount} every {PeriodSeconds}s)";

    // The largest start a period may have: DateTimeOffset's range, less one period so its end is representable too.
    private long MaxSeconds => DateTimeOffset.MaxValue.ToUnixTimeSeconds() - PeriodSeconds;

    private static DuesMandate ReadFields(ref ProtocolReader r)
    {
        var id = new MandateId(r.Fixed(MandateId.Length, "mandate_id"));
        var provider = r.Account("provider_id");
        byte[] member = r.Opaque8("member_reference", 1, MaxMemberReferenceLength).ToArray();
        var amount = r.Amount("amount", positive: true);
        string fund = r.Ascii("fund");
        uint period = r.U32("period_seconds");
        if (period is < MinPeriodSeconds or > MaxPeriodSeconds)
        {
            throw new ProtocolFormatException("Field 'period_seconds' is out of range.");
        }

        uint window = r.U32("pay_window_seconds");
        if (window == 0 || window > period)
        {
            throw new ProtocolFormatException("Field 'pay_window_seconds' is zero or longer than the period.");
        }

        var start = r.Time("starts_at");
        DateTimeOffset? end = r.Flag("has_end") ? r.Time("ends_at") : null;
        if (end <= start)
        {
            throw new ProtocolFormatException("Field 'ends_at' is not after 'starts_at'.");
        }

        return new DuesMandate(id, provider, member, amount, fund, period, window, start, end, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Fixed(Id.Bytes);
        w.Ascii(Provider.Value);
        w.Opaque8(_memberReference);
        w.Amount(Amount);
        w.Ascii(Fund);
        w.U32(PeriodSeconds);
        w.U32(PayWindowSeconds);
        w.Time(StartsAt);
        w.Flag(EndsAt is not null);
        if (EndsAt is { } end)
        {
            w.Time(end);
        }
    }
}
