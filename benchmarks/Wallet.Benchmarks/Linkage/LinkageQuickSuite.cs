using System.Diagnostics;
using System.Globalization;
using PortableBenefits.Linkage.Pilot;
using PortableBenefits.Linkage.Reporting;
using PortableBenefits.Linkage.Truth;
using Wallet.Benchmarks.Quick;

namespace Wallet.Benchmarks.Linkage;

/// <summary>
/// Privacy measured, not claimed (issue 16): runs the pilot with its ground truth (300 workers, 3 epochs, two seeds,
/// defences on and off), plays the scheme with the linkage attack of PortableBenefits.Linkage on the SQLite files it
/// leaves, and prints per run a table of top-1, top-5, chance, their ratio and the perplexity for every signal set,
/// then the targets: with no side information the best top-1 at most 2x chance, with sector and region known at
/// most 1.5x the sector-only guess. A benchmark of privacy, not of speed: it takes minutes, so it runs only when named
/// (<c>--quick linkage</c>). <c>WALLETCORE_LINKAGE_WORKERS</c>, <c>WALLETCORE_LINKAGE_EPOCHS</c> and
/// <c>WALLETCORE_LINKAGE_SEEDS</c> (comma-separated) change the runs.
/// </summary>
public sealed class LinkageQuickSuite : IQuickSuite
{
    public string Name => "linkage";

    public void Run(QuickReporter report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!Named())
        {
            report.Note("linkage: not run (it runs the pilot four times, minutes); run it with --quick linkage");
            return;
        }

        string workers = Environment.GetEnvironmentVariable("WALLETCORE_LINKAGE_WORKERS") ?? "300";
        string epochs = Environment.GetEnvironmentVariable("WALLETCORE_LINKAGE_EPOCHS") ?? "3";
        string[] seeds = (Environment.GetEnvironmentVariable("WALLETCORE_LINKAGE_SEEDS") ?? "2026,2027").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var summary = new List<string>();
        foreach (string defences in new[] { "off", "on" })
        {
            foreach (string seed in seeds)
            {
                if (RunOne(report, workers, epochs, seed, defences) is { } line)
                {
                    summary.Add(line);
                }
            }
        }

        report.Note("linkage summary: best top-1 without side information (x chance, target <= 2.0) | best top-1 with sector and region (x the sector-only guess, target <= 1.5)");
        foreach (string line in summary)
        {
            report.Note(line);
        }
    }

    private static string? RunOne(QuickReporter report, string workers, string epochs, string seed, string defences)
    {
        string root = Directory.CreateTempSubdirectory("walletcore-linkage-bench-").FullName;
        try
        {
            string data = Path.Combine(root, "data");
            string truthFile = Path.Combine(root, "ground-truth.tsv");
            var pilotClock = Stopwatch.StartNew();
            var (exitCode, output) = PilotProcess.RunAsync(
                PilotProcess.FindBuiltPilot(AppContext.BaseDirectory),
                TimeSpan.FromMinutes(20),
                "--workers", workers, "--epochs", epochs, "--seed", seed, "--data-dir", data, "--ground-truth", truthFile, "--defences", defences).GetAwaiter().GetResult();
            pilotClock.Stop();
            if (exitCode != 0)
            {
                report.Note($"linkage: seed {seed}, defences {defences}: the pilot failed (exit {exitCode}); its first and last lines:");
                string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (string line in lines.Length <= 6 ? lines : [.. lines.Take(3), "...", .. lines.TakeLast(3)])
                {
                    report.Note("  " + line);
                }

                return null;
            }

            var attackClock = Stopwatch.StartNew();
            var truth = GroundTruth.Load(truthFile);
            var result = LinkageEvaluation.RunAsync(data, truth).GetAwaiter().GetResult();
            attackClock.Stop();
            report.Note(string.Create(CultureInfo.InvariantCulture, $"linkage: {workers} workers, {epochs} epochs, seed {seed}, defences {defences}: pilot {pilotClock.Elapsed.TotalSeconds:F1} s, attack {attackClock.Elapsed.TotalSeconds:F1} s; {truth}"));
            foreach (string line in result.ToLines())
            {
                report.Note(line);
            }

            var plain = result.BestWithoutSideInformation;
            var side = result.BestWithSideInformation;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"  defences {defences,-3} seed {seed}: {plain?.Set.Name ?? "-"} {plain?.Top1 ?? 0:P1} = {plain?.Top1Ratio ?? 0:F2}x chance ({(result.MeetsNoSideInformationTarget ? "met" : "NOT MET")}) | {side?.Set.Name ?? "-"} {side?.Top1 ?? 0:P1} = {result.SideInformationOverSectorOnly:F2}x sector-only {result.SectorOnly.Top1:P1} ({(result.MeetsSideInformationTarget ? "met" : "NOT MET")})");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // Quick mode without a filter runs every suite in about a minute; this one joins only when a filter selected it.
    private static bool Named()
    {
        string[] args = Environment.GetCommandLineArgs();
        int quick = Array.IndexOf(args, "--quick");
        return quick >= 0 && quick + 1 < args.Length;
    }
}
