using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Witnesses;

namespace Wallet.Audit.Tool.Tests.Verify;

public sealed class WitnessTests
{
    [Fact]
    public async Task ACheckpointCosignedByTheQuorumPassesAndTheReportNamesTheCosigner()
    {
        await using var scenario = await AuditScenario.StartAsync();
        using var witnessKey = Ed25519SigningKey.Generate();
        using var absentKey = Ed25519SigningKey.Generate();
        var logKey = (Ed25519NoteVerifier)NoteVerifier.Parse(scenario.LogKey);

        // A real witness (the library's role) cosigns each checkpoint the scheme serves; the second configured one never does.
        var witness = new Witness([new WitnessedLog(ServedScheme.Origin, logKey)], new CosignatureV1Signer("witness.example.org/w1", witnessKey, TimeProvider.System), new InMemoryWitnessStore());
        string absent = new CosignatureV1Signer("witness.example.org/w2", absentKey, TimeProvider.System).Verifier.VerifierKey;
        await using var server = await scenario.ServeCosignedByAsync(witness);

        var sync = await ToolRun.RunAsync(["sync", server.Url.ToString(), scenario.Directory, .. scenario.Anchors, "--witness", witness.Verifier.VerifierKey, "--witness", absent, "--quorum", "1"]);
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.DoesNotContain("warning", sync.Error, StringComparison.Ordinal);

        var verify = await scenario.VerifyAsync();
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("PASS  witness-quorum", verify.Out, StringComparison.Ordinal);
        Assert.Contains("Accepted (1 of k=1: witness.example.org/w1) of 2 configured", verify.Out, StringComparison.Ordinal);

        string output = Path.Combine(scenario.Directory, "audit.html");
        Assert.Equal(0, (await ToolRun.RunAsync("report", scenario.Directory, "--html", output)).ExitCode);
        string html = await File.ReadAllTextAsync(output);
        Assert.Contains("<tr><td>witness.example.org/w1</td>", html, StringComparison.Ordinal);
        Assert.Contains("</code></td><td>yes</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("</code></td><td>no</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-check=\"witness-quorum\" data-outcome=\"pass\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncWaitsForTheQuorumWhenTheCosignatureArrivesAfterTheFirstFetch()
    {
        await using var scenario = await AuditScenario.StartAsync();
        using var witnessKey = Ed25519SigningKey.Generate();
        var logKey = (Ed25519NoteVerifier)NoteVerifier.Parse(scenario.LogKey);
        var witness = new Witness([new WitnessedLog(ServedScheme.Origin, logKey)], new CosignatureV1Signer("witness.example.org/w1", witnessKey, TimeProvider.System), new InMemoryWitnessStore());

        // As a scheme serves a checkpoint whose witness has not answered yet: the first three fetches carry no cosignature.
        int fetches = 0;
        await using var server = await scenario.ServeCosignedByAsync(witness, uncosignedFetches: 3, onFetch: () => Interlocked.Increment(ref fetches));

        var sync = await ToolRun.RunAsync(["sync", server.Url.ToString(), scenario.Directory, .. scenario.Anchors, "--witness", witness.Verifier.VerifierKey, "--quorum-wait", "20"]);
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.DoesNotContain("warning", sync.Error, StringComparison.Ordinal);
        Assert.Equal(4, Volatile.Read(ref fetches));

        var verify = await scenario.VerifyAsync();
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("PASS  witness-quorum", verify.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("NaN")]
    [InlineData("3601")]
    public async Task AQuorumWaitOutsideItsRangeIsAUsageError(string wait)
    {
        await using var scenario = await AuditScenario.StartAsync();
        var sync = await scenario.SyncAsync([.. scenario.Anchors, "--quorum-wait", wait]);
        Assert.True(sync.ExitCode == 2, sync.ToString());
        Assert.Contains("--quorum-wait", sync.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(scenario.MirrorFile), "a refused sync created the mirror");
    }
}
