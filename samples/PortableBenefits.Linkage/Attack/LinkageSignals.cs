namespace PortableBenefits.Linkage.Attack;

/// <summary>The signals the attack can combine; each is switched on or off per <see cref="SignalSet"/>.</summary>
[Flags]
public enum LinkageSignals
{
    /// <summary>No signal: every candidate scores alike.</summary>
    None = 0,

    /// <summary>Keysets and coin composition: how much of the payment's keysets the account withdrew, and whether it could afford the amount.</summary>
    Composition = 1,

    /// <summary>The payment request's issue time against the account's withdrawal times: the same sitting, or the same day.</summary>
    CoarseTime = 2,

    /// <summary>The deposit's time against the account's withdrawals: credited shortly after one of them.</summary>
    DepositTiming = 4,

    /// <summary>An anonymous swap shortly after one of the account's withdrawals and shortly before the payment (change at payment time).</summary>
    SwapTiming = 8,

    /// <summary>
    /// The payment's position in its deposit batch against the account's position in the order of withdrawals (what a
    /// provider listing payments in arrival order leaked). A payment alone in its batch has no position.
    /// </summary>
    Order = 16,

    /// <summary>
    /// Default-allocation shape: a payment made in the days before its coins stop being spendable, to the provider that the
    /// published default-allocation table picks for the account's sector and region. Uses the profiles the scheme holds.
    /// </summary>
    DefaultAllocation = 32,

    /// <summary>Side information: how often workers of the account's sector pay this provider (estimated leave-one-out from the ground truth).</summary>
    Sector = 64,

    /// <summary>Side information: how often workers of the account's sector and region pay this provider (estimated leave-one-out from the ground truth).</summary>
    SectorRegion = 128,
}
