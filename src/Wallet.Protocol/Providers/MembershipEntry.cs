namespace Wallet.Protocol.Providers;

/// <summary>
/// One line of the union's membership ledger (docs/PROTOCOL.md 5.19): a mandate, and so a member reference, with the
/// periods paid without a gap from period 0.
/// </summary>
/// <param name="Mandate">The mandate.</param>
/// <param name="PeriodsPaid">Periods 0 to <c>PeriodsPaid - 1</c> are paid.</param>
public sealed record MembershipEntry(DuesMandate Mandate, uint PeriodsPaid)
{
    /// <summary>Gets the last period paid through, or null when none is.</summary>
    public uint? PaidThrough => PeriodsPaid == 0 ? null : PeriodsPaid - 1;

    /// <summary>Gets the end of the last period paid (the mandate's start when none is).</summary>
    public DateTimeOffset PaidUntil => Mandate.StartsAt + TimeSpan.FromSeconds((long)PeriodsPaid * Mandate.PeriodSeconds);

    /// <summary>Whether the member has lapsed at <paramref name="now"/>: a period that has ended (and the mandate covers) is not paid.</summary>
    /// <param name="now">The time to judge at.</param>
    /// <returns>Whether the paid-through period is behind the last ended period.</returns>
    public bool IsLapsedAt(DateTimeOffset now) => PeriodsPaid < EndedPeriods(now);

    /// <summary>Gets how many of the mandate's periods have ended by <paramref name="now"/>.</summary>
    /// <param name="now">The time.</param>
    /// <returns>The count.</returns>
    public uint EndedPeriods(DateTimeOffset now)
    {
        long elapsed = now.ToUnixTimeSeconds() - Mandate.StartsAt.ToUnixTimeSeconds();
        if (elapsed <= 0)
        {
            return 0;
        }

        long ended = Math.Min(elapsed / Mandate.PeriodSeconds, uint.MaxValue);
        if (Mandate.EndsAt is { } end)
        {
            long span = end.ToUnixTimeSeconds() - Mandate.StartsAt.ToUnixTimeSeconds();
            ended = Math.Min(ended, (span + Mandate.PeriodSeconds - 1) / Mandate.PeriodSeconds);
        }

        return (uint)ended;
    }
}
