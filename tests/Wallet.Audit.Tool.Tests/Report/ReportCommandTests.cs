using System.Text.RegularExpressions;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Registry;

namespace Wallet.Audit.Tool.Tests.Report;

public sealed partial class ReportCommandTests
{
    private const string HostileName = "<script>alert('name')</script><img src=x onerror=alert(1)>";
    private const string HostileCategory = "<b>care</b>";

    [Fact]
    public async Task TheReportIsSelfContainedFollowsTheDomContractAndEscapesAHostileRegistry()
    {
        await using var scenario = await AuditScenario.StartAsync();
        await scenario.ActivityAsync();
        using var key = Ed25519SigningKey.Generate();
        var hostile = new ProviderRecord(new Wallet.Protocol.AccountId("hostile"), HostileName, [HostileCategory], key.PublicKey, Wallet.Protocol.Tests.EndToEnd.ProtocolWorld.Start.AddDays(-1), Wallet.Protocol.Tests.EndToEnd.ProtocolWorld.Start.AddDays(365));
        await scenario.GrowAsync(1, [.. scenario.World.Registry.Providers, hostile]);
        Assert.Equal(0, (await scenario.SyncAsync(scenario.Anchors)).ExitCode);
        string output = Path.Combine(scenario.Directory, "out", "audit.html");

        var run = await ToolRun.RunAsync("report", scenario.Directory, "--html", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        string html = await File.ReadAllTextAsync(output);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>care", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;b&gt;care&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"<[a-zA-Z][^>]*\s(src|href)\s*=", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);

        Assert.StartsWith("WalletCore audit report", Title().Match(html).Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains("<p id=\"verdict\" data-outcome=\"pass\">", html, StringComparison.Ordinal);
        foreach (string section in new[] { "summary", "keysets", "activity", "anonymity", "flows", "checkpoints", "checks" })
        {
            Assert.Contains($"<section id=\"{section}\">", html, StringComparison.Ordinal);
        }

        foreach (string table in new[] { "keysets", "anonymity", "flows", "checkpoints", "witnesses", "checks" })
        {
            Assert.Single(Regex.Matches(html, $"<table data-table=\"{table}\">"));
        }

        var activity = Regex.Matches(html, "<svg class=\"chart\" data-chart=\"activity\" data-keyset=\"([0-9a-f]+)\" role=\"img\" aria-label=\"[^\"]+\"");
        Assert.Equal(scenario.World.AllKeysets.Select(k => k.Id.ToString()).Order(), activity.Select(m => m.Groups[1].Value).Order());
        Assert.Single(Regex.Matches(html, "<svg class=\"chart\" data-chart=\"anonymity\" role=\"img\" aria-label=\"[^\"]+\""));
        Assert.Single(Regex.Matches(html, "<svg class=\"chart\" data-chart=\"flows\" role=\"img\" aria-label=\"[^\"]+\""));
        Assert.Equal(Regex.Matches(html, "<svg").Count, Regex.Matches(html, "<svg class=\"chart\" data-chart=\"(activity|anonymity|flows)\"").Count);

        var checks = Regex.Matches(html, "<tr data-check=\"([^\"]+)\" data-outcome=\"(pass|fail)\">");
        Assert.Contains(checks, m => m.Groups[1].Value == "split-view" && m.Groups[2].Value == "pass");
        foreach (var kind in Enum.GetValues<AuditViolationKind>())
        {
            Assert.Contains(checks, m => m.Groups[1].Value == $"audit/{kind}");
        }

        // The activity the scenario made is in the page: 3 of General100 issued, 1 spent, 2 expired; 200 allocated to unions.
        string general100 = scenario.World.General100.Id.ToString();
        Assert.Matches($"<tr><td><code>{general100}</code></td><td>general</td><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">2</td>", html);
        Assert.Matches("<tr><td>provider category</td><td>union</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">200</td>", html);
        Assert.Contains("not in the log", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReportOfAForkedMirrorSaysFail()
    {
        await using var scenario = await AuditScenario.StartAsync();
        Assert.Equal(0, (await scenario.SyncAsync(scenario.Anchors)).ExitCode);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={scenario.MirrorFile};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE entries SET leaf_hash = zeroblob(32) WHERE idx = 0";
            command.ExecuteNonQuery();
        }

        string output = Path.Combine(scenario.Directory, "audit.html");
        var run = await ToolRun.RunAsync("report", scenario.Directory, "--html", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        string html = await File.ReadAllTextAsync(output);
        Assert.Contains("<p id=\"verdict\" data-outcome=\"fail\">", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-check=\"mirror-entries\" data-outcome=\"fail\">", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex Title();
}
