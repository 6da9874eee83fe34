using System.Globalization;
using PortableBenefits.Linkage.Pilot;
using PortableBenefits.Linkage.Reporting;
using PortableBenefits.Linkage.Truth;

namespace PortableBenefits.Linkage.Tests.EndToEnd;

/// <summary>
/// END TO END: the pilot itself, run as a process with its defences off and its ground truth written, attacked on the
/// SQLite files it leaves. This is the unit check of issue 16 ("it must find the link when the defences are switched
/// off"); the benchmark suite <c>linkage</c> measures the same attack with the defences on.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PilotLinkageEndToEndTests
{
    /// <summary>The attack must find the payers when the defences are off; otherwise its "at chance" figures would prove nothing.</summary>
    [Fact]
    public async Task AttackNamesThePayersOfAPilotRunWithItsDefencesOff()
    {
        string root = Directory.CreateTempSubdirectory("walletcore-linkage-e2e-").FullName;
        try
        {
            string data = Path.Combine(root, "data");
            string truthFile = Path.Combine(root, "ground-truth.tsv");
            var (exitCode, output) = await PilotProcess.RunAsync(
                PilotProcess.FindBuiltPilot(AppContext.BaseDirectory),
                TimeSpan.FromMinutes(5),
                "--workers", "40", "--epochs", "1", "--seed", "11", "--data-dir", data, "--ground-truth", truthFile, "--defences", "off");
            Assert.True(exitCode == 0, output);
            Assert.Contains("linkage attack on the scheme's stored data", output, StringComparison.Ordinal);

            var truth = GroundTruth.Load(truthFile);
            Assert.Equal(40, truth.Profiles.Count);
            Assert.NotEmpty(truth.Payments);

            var report = await LinkageEvaluation.RunAsync(data, truth);
            string lines = string.Join(Environment.NewLine, report.ToLines());
            Assert.True(report.PaymentsWithTruth >= truth.Payments.Count / 2, lines);
            var best = report.BestWithoutSideInformation!;
            Assert.True(best.Top1Ratio >= 5, string.Create(CultureInfo.InvariantCulture, $"best top-1 only {best.Top1Ratio:F2}x chance without defences{Environment.NewLine}{lines}"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
