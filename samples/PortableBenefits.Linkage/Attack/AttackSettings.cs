namespace PortableBenefits.Linkage.Attack;

/// <summary>
/// The kernels' widths and weights. Each signal multiplies a candidate's likelihood by <c>1 + weight</c> when its event
/// matches (naive-Bayes style); the numbers are round guesses, fixed before any run, not fitted to the ground truth.
/// </summary>
internal sealed record AttackSettings
{
    /// <summary>Events this close belong to one sitting of one person with their phone.</summary>
    public TimeSpan Sitting { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Weight of a match within one sitting.</summary>
    public double SittingWeight { get; init; } = 30;

    /// <summary>Weight of a match on the same (UTC) day.</summary>
    public double DayWeight { get; init; } = 3;

    /// <summary>Width of the batch-order kernel, as a share of the batch.</summary>
    public double OrderWidth { get; init; } = 0.05;

    /// <summary>Weight of a batch-order match.</summary>
    public double OrderWeight { get; init; } = 10;

    /// <summary>A payment this close before its coins stop being spendable may be a client-side default allocation.</summary>
    public TimeSpan DefaultAllocationWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Weight of the table's pick for the account's sector and region when a payment looks like a default allocation.</summary>
    public double DefaultAllocationWeight { get; init; } = 8;

    /// <summary>Additive smoothing of the sector priors.</summary>
    public double PriorSmoothing { get; init; } = 0.5;

    /// <summary>Pseudo-count per keyset when comparing compositions.</summary>
    public double CompositionSmoothing { get; init; } = 0.5;

    /// <summary>Likelihood factor for an account that never withdrew enough value in the payment's funds.</summary>
    public double UnaffordableFactor { get; init; } = 0.2;
}
