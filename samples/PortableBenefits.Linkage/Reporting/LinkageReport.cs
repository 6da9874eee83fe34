using System.Globalization;
using PortableBenefits.Linkage.Attack;

namespace PortableBenefits.Linkage.Reporting;

/// <summary>
/// The outcome of a linkage attack: per signal set, how often the payer of a deposited payment was named, against
/// chance and against the sector-only guess, with the targets of issue 16.
/// </summary>
/// <param name="PaymentsDeposited">Payments found in the scheme's stored deposits.</param>
/// <param name="PaymentsWithTruth">Of those, the payments whose payer the ground truth names (the ones scored).</param>
/// <param name="Results">One result per signal set, in the order given; always includes the sector-only guess.</param>
public sealed record LinkageReport(int PaymentsDeposited, int PaymentsWithTruth, IReadOnlyList<SignalSetResult> Results)
{
    /// <summary>Target without side information: the best top-1 accuracy at most this many times chance.</summary>
    public const double NoSideInformationTarget = 2.0;

    /// <summary>Target with sector and region known: the best top-1 accuracy at most this many times the sector-only guess.</summary>
    public const double SideInformationTarget = 1.5;

    /// <summary>Swaps found in the ledger (they name no account).</summary>
    public int SwapsObserved { get; init; }

    /// <summary>Of those, the swaps whose wallet the ground truth names (the ones scored).</summary>
    public int SwapsWithTruth { get; init; }

    /// <summary>How well each of <see cref="SignalSet.Swaps"/> named the wallet behind each swap.</summary>
    public IReadOnlyList<SignalSetResult> SwapResults { get; init; } = [];

    /// <summary>The sector-only guess: rank candidates by P(provider | sector) alone.</summary>
    public SignalSetResult SectorOnly => Results.First(r => r.Set.Name == SignalSet.SectorOnlyName);

    /// <summary>The set without side information whose top-1 accuracy is the highest multiple of chance.</summary>
    public SignalSetResult? BestWithoutSideInformation => Results.Where(r => !r.Set.UsesSideInformation).MaxBy(r => r.Top1Ratio);

    /// <summary>The set with side information (other than the sector-only guess) whose top-1 accuracy is highest.</summary>
    public SignalSetResult? BestWithSideInformation => Results.Where(r => r.Set.UsesSideInformation && r.Set.Name != SignalSet.SectorOnlyName).MaxBy(r => r.Top1);

    /// <summary>The best top-1 accuracy with side information over the sector-only guess's (0 when the guess never hits).</summary>
    public double SideInformationOverSectorOnly => BestWithSideInformation is { } best && SectorOnly.Top1 > 0 ? best.Top1 / SectorOnly.Top1 : 0;

    /// <summary>Whether the best top-1 without side information is at most <see cref="NoSideInformationTarget"/> times chance.</summary>
    public bool MeetsNoSideInformationTarget => BestWithoutSideInformation is not { } best || best.Top1Ratio <= NoSideInformationTarget;

    /// <summary>Whether the best top-1 with sector and region is at most <see cref="SideInformationTarget"/> times the sector-only guess.</summary>
    public bool MeetsSideInformationTarget => SideInformationOverSectorOnly <= SideInformationTarget;

    /// <summary>The report as printable lines: a table of the signal sets on payments, one on swaps, then the two targets and whether they are met.</summary>
    /// <returns>The lines, without line breaks.</returns>
    public IReadOnlyList<string> ToLines()
    {
        var lines = new List<string>
        {
            Format($"linkage attack on the scheme's stored data: {PaymentsWithTruth:N0} of {PaymentsDeposited:N0} deposited payments scored against the ground truth"),
            Format($"  {"signal set",-22} {"side",4} {"n",6} {"cands",7} {"top-1",7} {"top-5",7} {"chance1",8} {"chance5",8} {"x1",6} {"sd-x1",6} {"x5",6} {"perplexity",10}"),
        };
        lines.AddRange(Results.Select(Row));
        lines.Add("  (x1, x5: top-1 and top-5 over chance; sd-x1: how far x1 strays for a blind guesser; perplexity: the effective anonymity set)");
        if (SwapResults.Count > 0)
        {
            lines.Add(Format($"  anonymous swaps, who made each: {SwapsWithTruth:N0} of {SwapsObserved:N0} scored"));
            lines.AddRange(SwapResults.Select(Row));
        }

        if (Results.Any(r => r.PayerOutsideCandidates > 0))
        {
            lines.Add(Format($"  payer not among the candidates (counted as misses): {Results.Max(r => r.PayerOutsideCandidates)} payments"));
        }

        if (BestWithoutSideInformation is { } plain)
        {
            // With few hits (a large pilot scored on a sample) one lucky guess moves the ratio: say how far a blind guesser strays.
            string noise = plain.NullSpreadTop1 > 0 && Math.Abs(plain.Top1Ratio - 1) <= 2 * plain.NullSpreadTop1 ? ", within 2 sd of a blind guess" : string.Empty;
            lines.Add(Format($"  target, no side information: best top-1 <= {NoSideInformationTarget:F1}x chance: {plain.Set.Name} {plain.Top1Ratio:F2}x (sd-x1 {plain.NullSpreadTop1:F2}{noise}) -> {(MeetsNoSideInformationTarget ? "met" : "NOT MET")}"));
        }

        if (BestWithSideInformation is { } side)
        {
            lines.Add(Format($"  target, sector and region known: best top-1 <= {SideInformationTarget:F1}x the sector-only guess ({SectorOnly.Top1:P1}): {side.Set.Name} {SideInformationOverSectorOnly:F2}x -> {(MeetsSideInformationTarget ? "met" : "NOT MET")}"));
        }

        return lines;
    }

    private static string Row(SignalSetResult r) =>
        Format($"  {r.Set.Name,-22} {(r.Set.UsesSideInformation ? "yes" : "no"),4} {r.PaymentsAttacked,6} {r.MeanCandidates,7:F1} {r.Top1,7:P1} {r.Top5,7:P1} {r.ChanceTop1,8:P2} {r.ChanceTop5,8:P2} {r.Top1Ratio,6:F2} {r.NullSpreadTop1,6:F2} {r.Top5Ratio,6:F2} {r.Perplexity,10:F1}");

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
