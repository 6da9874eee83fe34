using System.Globalization;
using System.Text.RegularExpressions;
using static Wallet.Protocol.AspNetCore.Tests.Samples.SampleProcesses;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>The pilot as shipped, on its own SQLite files, writing the research ground truth (README.md "Ground truth for linkage research").</summary>
public sealed partial class PilotGroundTruthProcessTests
{
    [Theory]
    [InlineData("on")]
    [InlineData("off")]
    public async Task GroundTruthNamesTheAccountBehindEveryDepositedCoinAndTheDataDirectoryKeepsTheSchemeFiles(string defences)
    {
        string data = Directory.CreateTempSubdirectory("walletcore-pilot-truth-").FullName;
        try
        {
            string truth = Path.Combine(data, "truth.tsv");
            using var demo = Start(Sample("PortableBenefits.Demo"), "--workers", "20", "--epochs", "1", "--defences", defences, "--data-dir", data, "--ground-truth", truth);
            var demoOutput = Collect(demo);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            await demo.WaitForExitAsync(timeout.Token);
            string output = demoOutput.ToString();
            Assert.True(demo.ExitCode == 0, output);
            Assert.Contains("AUDIT OK", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(data, "walletcore.db")), "walletcore.db");

            var lines = (await File.ReadAllLinesAsync(truth)).Select(l => l.Split('\t')).ToList();
            Assert.All(lines, fields => Assert.Matches(LineForm(), string.Join('\t', fields)));
            var accounts = lines.Where(f => f[0] == "profile").Select(f => f[1]).ToList();
            Assert.Equal(20, accounts.Count);
            Assert.Equal(20, accounts.Distinct().Count());
            Assert.All(lines.Where(f => f[0] != "profile"), f => Assert.Contains(f[f[0] == "pay" ? 2 : 1], accounts));

            // Every coin the providers deposited appears in exactly one pay line, and no coin is both paid and swapped away.
            var pays = lines.Where(f => f[0] == "pay").ToList();
            var paidCoins = pays.SelectMany(f => f[5].Split(',')).ToList();
            var deposited = DepositedCoins().Match(output);
            Assert.True(deposited.Success, output);
            Assert.Equal(long.Parse(deposited.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture), paidCoins.Count);
            Assert.Equal(paidCoins.Count, paidCoins.Distinct().Count());
            Assert.Equal(pays.Count, pays.Select(f => f[4]).Distinct().Count());
            Assert.Empty(lines.Where(f => f[0] == "swap").SelectMany(f => f[3].Split(',')).Intersect(paidCoins));
            Assert.Contains(lines, f => f[0] == "restore-find");
            Assert.Contains(lines, f => f[0] == "restore-arespent");

            // Every swap a wallet sent is in the ground truth; without the defences none is made ahead of need.
            var swaps = Swaps().Match(output);
            Assert.True(swaps.Success, output);
            int changeAhead = int.Parse(swaps.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            int immediate = int.Parse(swaps.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            Assert.Equal(changeAhead + immediate, lines.Count(f => f[0] == "swap"));
            Assert.True(defences == "on" || changeAhead == 0, output);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [GeneratedRegex(@"^(profile\t\S+\t\S+\t\S+\t\S+|pay\t\d+\tworker-\d{5}\t\S+\t[0-9a-f]{64}\t[0-9a-f]{64}(,[0-9a-f]{64})*|swap\tworker-\d{5}\t\S+\t[0-9a-f]{64}(,[0-9a-f]{64})*|restore-find\tworker-\d{5}\t[0-9a-f]+(,[0-9a-f]+)*|restore-arespent\tworker-\d{5}\t[0-9a-f]{64}(,[0-9a-f]{64})*)$")]
    private static partial Regex LineForm();

    [GeneratedRegex(@"deposit batches \(([\d,]+) coins\)")]
    private static partial Regex DepositedCoins();

    [GeneratedRegex(@"; ([\d,]+) change-ahead swaps; [\d,]+ payments needed an immediate swap \(([\d,]+) made\)")]
    private static partial Regex Swaps();
}
