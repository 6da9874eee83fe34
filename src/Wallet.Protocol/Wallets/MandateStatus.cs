namespace Wallet.Protocol.Wallets;

/// <summary>The wallet's report on one dues mandate: every period started so far and where it stands (<see cref="WorkerWallet.MandateStatus"/>).</summary>
/// <param name="Mandate">The mandate.</param>
/// <param name="IsCancelled">Whether the worker cancelled it.</param>
/// <param name="Periods">The periods that have started, oldest first.</param>
public sealed record MandateStatus(DuesMandate Mandate, bool IsCancelled, IReadOnlyList<MandatePeriodStatus> Periods)
{
    /// <summary>Gets the number of periods paid (in flight or confirmed).</summary>
    public int PaidPeriods => Periods.Count(p => p.State is MandatePeriodState.Paid or MandatePeriodState.InFlight);

    /// <summary>Gets the periods due now (pay moment passed, not in arrears).</summary>
    public IReadOnlyList<uint> Due => [.. Periods.Where(p => p.State == MandatePeriodState.Due).Select(p => p.Period)];

    /// <summary>Gets the amount in arrears: the mandate's amount for each period in arrears.</summary>
    public Amount Arrears => Amount.FromMinorUnits(Mandate.Amount.MinorUnits * Periods.Count(p => p.State == MandatePeriodState.Arrears));
}
