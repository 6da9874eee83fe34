using System.Diagnostics;

namespace Wallet.Audit.Tool.Tests.Cli;

/// <summary>The built tool run as a real child process, through its Main.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task TheProcessSyncsVerifiesAndExitsWithTheDocumentedCodes()
    {
        await using var scenario = await AuditScenario.StartAsync();
        await scenario.ActivityAsync();

        var sync = await RunAsync(["sync", scenario.Server.Url.ToString(), scenario.Directory, .. scenario.Anchors]);
        Assert.True(sync.Code == 0, sync.Error);
        var verify = await RunAsync(["verify", scenario.Directory]);
        Assert.True(verify.Code == 0, verify.Out + verify.Error);
        Assert.Contains("PASS  split-view", verify.Out, StringComparison.Ordinal);

        var usage = await RunAsync(["sync", "not a url", scenario.Directory]);
        Assert.Equal(2, usage.Code);
        Assert.Contains("is not an absolute http or https URL", usage.Error, StringComparison.Ordinal);

        string closed = scenario.Server.Url.ToString();
        await scenario.Server.DisposeAsync();
        var unreachable = await RunAsync(["sync", closed, scenario.Directory]);
        Assert.Equal(3, unreachable.Code);
        Assert.StartsWith("walletcore-audit: error: Cannot reach the scheme", unreachable.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", unreachable.Error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "walletcore-audit.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
