using PortableBenefits.Linkage.Attack;
using PortableBenefits.Linkage.Reporting;
using PortableBenefits.Linkage.Tests.Worlds;

namespace PortableBenefits.Linkage.Tests.Reporting;

/// <summary>The attack itself, on small worlds built through the real library on real SQLite files with no defences.</summary>
public sealed class LinkageEvaluationTests
{
    private const double Exact = 1e-9;

    [Fact]
    public async Task AttackNamesEveryPayerWhenEachWorkerWithdrawsSwapsAndPaysInOneSittingOfTheirOwn()
    {
        await using var pilot = await SyntheticPilot.CreateAsync();
        await pilot.RunAsync(workers: 8, gap: TimeSpan.FromHours(2), depositAtOnce: true);
        await pilot.CloseAsync();

        var report = await LinkageEvaluation.RunAsync(pilot.Directory, pilot.Truth);

        Assert.Equal(8, report.PaymentsDeposited);
        Assert.Equal(8, report.PaymentsWithTruth);
        Assert.All(report.Results, r => Assert.Equal(0, r.PayerOutsideCandidates));

        // Every worker holds the same coins: composition alone is a blind guess among those who had withdrawn.
        var composition = Result(report, "composition");
        Assert.Equal(1.0, composition.Top1Ratio, Exact);
        // Worker i's payment has the i + 1 workers who had withdrawn by then as candidates, all equally likely: the
        // perplexity is their geometric mean.
        Assert.Equal(4.5, composition.MeanCandidates, Exact);
        Assert.Equal(Math.Pow(Enumerable.Range(1, 8).Aggregate(1.0, (p, n) => p * n), 1.0 / 8), composition.Perplexity, 1e-6);

        // Each timing signal alone names every payer: the request, the deposit and the swap all sit in the payer's sitting.
        foreach (string name in new[] { "+ coarse time", "+ deposit timing", "+ swap timing", "all metadata" })
        {
            var result = Result(report, name);
            Assert.True(result.Top1 == 1.0, $"{name}: top-1 {result.Top1}");
            Assert.True(result.Perplexity < composition.Perplexity, $"{name}: perplexity {result.Perplexity}");
        }

        Assert.True(Result(report, "all metadata").Top1Ratio >= 2.5);

        // The swaps name no account, but each sits minutes after its wallet's withdrawal.
        Assert.Equal(8, report.SwapsWithTruth);
        Assert.Equal(1.0, report.SwapResults.Single(r => r.Set.Name == "swap composition").Top1Ratio, Exact);
        Assert.Equal(1.0, report.SwapResults.Single(r => r.Set.Name == "swap + coarse time").Top1, Exact);
        Assert.False(report.MeetsNoSideInformationTarget);
        Assert.Contains(report.ToLines(), l => l.Contains("NOT MET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AttackIsAtChanceWhenEveryoneActsAtTheSameInstant()
    {
        await using var pilot = await SyntheticPilot.CreateAsync();
        await pilot.RunAsync(workers: 16, gap: TimeSpan.Zero, depositAtOnce: false);
        await pilot.CloseAsync();

        var report = await LinkageEvaluation.RunAsync(pilot.Directory, pilot.Truth);

        Assert.Equal(16, report.PaymentsWithTruth);
        foreach (string name in new[] { "composition", "+ coarse time", "+ deposit timing", "+ swap timing" })
        {
            var result = Result(report, name);
            Assert.Equal(16, result.MeanCandidates, Exact);
            Assert.True(Math.Abs(result.Top1Ratio - 1) < Exact, $"{name}: {result.Top1Ratio}x chance");
            Assert.Equal(16, result.Perplexity, 1e-6);
        }

        Assert.All(report.SwapResults, r => Assert.Equal(1.0, r.Top1Ratio, Exact));

        // Batch order is canonical (coin-id order), so it is a random permutation of the payers: on average chance,
        // though one small run can land a few matches either way.
        Assert.InRange(Result(report, "+ batch order").Top1, 0, 6.0 / 16);
    }

    [Fact]
    public async Task SectorOnlyGuessKnowsTheUnionOfEachSectorAndNothingMore()
    {
        await using var pilot = await SyntheticPilot.CreateAsync();
        await pilot.RunAsync(workers: 16, gap: TimeSpan.Zero, depositAtOnce: false);
        await pilot.CloseAsync();

        var report = await LinkageEvaluation.RunAsync(pilot.Directory, pilot.Truth);

        // Two sectors of eight, each paying its own union: the guess narrows sixteen candidates to the eight of the sector.
        Assert.Equal(1.0 / 8, report.SectorOnly.Top1, Exact);
        Assert.Equal(2.0, report.SectorOnly.Top1Ratio, Exact);

        // Everyone shares one region, so region adds nothing.
        Assert.Equal(report.SectorOnly.Top1, report.Results.Single(r => r.Set.Name == "sector + region").Top1, Exact);
    }

    [Fact]
    public async Task AttackReadsAPilotWhoseStoresAreStillOpen()
    {
        // The pilot evaluates itself at the end of its run, before it closes its stores: the copies must hold every write.
        await using var pilot = await SyntheticPilot.CreateAsync();
        await pilot.RunAsync(workers: 4, gap: TimeSpan.FromHours(2), depositAtOnce: true);

        var report = await LinkageEvaluation.RunAsync(pilot.Directory, pilot.Truth);

        Assert.Equal(4, report.PaymentsWithTruth);
        Assert.Equal(4, report.SwapsWithTruth);
        Assert.Equal(1.0, Result(report, "+ coarse time").Top1, Exact);
    }

    [Fact]
    public async Task ReportIsDeterministic()
    {
        await using var pilot = await SyntheticPilot.CreateAsync();
        await pilot.RunAsync(workers: 4, gap: TimeSpan.FromHours(1), depositAtOnce: true);
        await pilot.CloseAsync();

        var first = await LinkageEvaluation.RunAsync(pilot.Directory, pilot.Truth);
        var second = await LinkageEvaluation.RunAsync(pilot.Directory, pilot.Truth);

        Assert.Equal(first.ToLines(), second.ToLines());
        Assert.Contains(first.ToLines(), l => l.StartsWith("  " + SignalSet.SectorOnlyName, StringComparison.Ordinal));
    }

    private static SignalSetResult Result(LinkageReport report, string name) => report.Results.Single(r => r.Set.Name == name);
}
