using System.Text;

namespace Wallet.Audit.Tool.Tests.Cli;

public sealed class WatchTests
{
    [Fact]
    public async Task WatchSyncsAndVerifiesUntilCancelledThenStopsCleanly()
    {
        await using var scenario = await AuditScenario.StartAsync();
        Assert.Equal(0, (await scenario.SyncAsync(scenario.Anchors)).ExitCode);
        await scenario.GrowAsync(2);
        using var stop = new CancellationTokenSource();

        // Ctrl+C arrives as the cancellation of the command's token; here, once the first round's verify has reported.
        using var output = new StopAfter("verify:", stop);
        var run = await ToolRun.RunAsync(stop.Token, output, "watch", scenario.Server.Url.ToString(), scenario.Directory, "--interval", "3600");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("mirrored 2 new entries", run.Out, StringComparison.Ordinal);
        Assert.Contains("verify: ", run.Out, StringComparison.Ordinal);
        Assert.EndsWith("watch: stopped" + Environment.NewLine, run.Out, StringComparison.Ordinal);
    }

    private sealed class StopAfter(string marker, CancellationTokenSource stop) : StringWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.StartsWith(marker, StringComparison.Ordinal) == true)
            {
                stop.Cancel();
            }
        }
    }
}
