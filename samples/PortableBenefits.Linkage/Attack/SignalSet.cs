namespace PortableBenefits.Linkage.Attack;

/// <summary>A named combination of signals that the evaluation scores on its own.</summary>
/// <param name="Name">A short name for tables.</param>
/// <param name="Signals">The signals combined.</param>
public sealed record SignalSet(string Name, LinkageSignals Signals)
{
    /// <summary>The signals that need the workers' sector and region (which the scheme holds for default allocation).</summary>
    public const LinkageSignals SideInformation = LinkageSignals.Sector | LinkageSignals.SectorRegion | LinkageSignals.DefaultAllocation;

    /// <summary>The name of the baseline that ranks by the sector prior alone.</summary>
    public const string SectorOnlyName = "sector-only guess";

    /// <summary>Every signal the scheme's stored data offers without the workers' profiles.</summary>
    public const LinkageSignals Metadata = LinkageSignals.Composition | LinkageSignals.CoarseTime | LinkageSignals.DepositTiming | LinkageSignals.SwapTiming | LinkageSignals.Order;

    /// <summary>
    /// The sets the evaluation reports by default: composition alone, each metadata signal with it, all metadata, the
    /// sector-only guess, sector and region, default-allocation shape, and everything together.
    /// </summary>
    public static IReadOnlyList<SignalSet> Standard { get; } =
    [
        new("composition", LinkageSignals.Composition),
        new("+ coarse time", LinkageSignals.Composition | LinkageSignals.CoarseTime),
        new("+ deposit timing", LinkageSignals.Composition | LinkageSignals.DepositTiming),
        new("+ swap timing", LinkageSignals.Composition | LinkageSignals.SwapTiming),
        new("+ batch order", LinkageSignals.Composition | LinkageSignals.Order),
        new("all metadata", Metadata),
        new(SectorOnlyName, LinkageSignals.Sector),
        new("sector + region", LinkageSignals.SectorRegion),
        new("+ default allocation", LinkageSignals.Composition | LinkageSignals.SectorRegion | LinkageSignals.DefaultAllocation),
        new("everything", Metadata | LinkageSignals.SectorRegion | LinkageSignals.DefaultAllocation),
    ];

    /// <summary>
    /// The sets scored on anonymous swaps (who made each one): input composition alone, and with the swap's time against
    /// the accounts' withdrawals.
    /// </summary>
    public static IReadOnlyList<SignalSet> Swaps { get; } =
    [
        new("swap composition", LinkageSignals.Composition),
        new("swap + coarse time", LinkageSignals.Composition | LinkageSignals.CoarseTime),
    ];

    /// <summary>Whether the set needs the workers' sector and region.</summary>
    public bool UsesSideInformation => (Signals & SideInformation) != 0;
}
