namespace Wallet.Protocol.Ledger;

/// <summary>The source types of the worker support levy that credit a worker's account.</summary>
/// <remarks>DESIGN.md section 3, flow 1 "Contribute".</remarks>
public enum ContributionSource : byte
{
    /// <summary>An employer's contribution.</summary>
    Employer = 1,

    /// <summary>The worker's own contribution through payroll.</summary>
    Worker = 2,

    /// <summary>A levy, for example an AI windfall levy or a training levy.</summary>
    Levy = 3,

    /// <summary>A state top-up for very low earners.</summary>
    State = 4,
}
