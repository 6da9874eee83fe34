using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Witnesses;

namespace Wallet.Audit.Tool.Tests.Report;

/// <summary>
/// The tool's real report of a scheme with a history (withdrawal, payment, deposit, expiry, default allocation) and a
/// witness cosigning its checkpoints, written by <c>walletcore-audit sync</c> then <c>report</c>: the page the browser
/// tests (tests/Wallet.Audit.Report.Tests) render.
/// </summary>
public static class WitnessedReport
{
    /// <summary>Runs the scenario, syncs it with two configured witnesses (one cosigning, quorum 1) and writes the report to <paramref name="htmlPath"/>.</summary>
    /// <exception cref="InvalidOperationException">A tool command did not exit 0.</exception>
    public static async Task WriteAsync(string htmlPath)
    {
        await using var scenario = await AuditScenario.StartAsync();
        await scenario.ActivityAsync();
        using var witnessKey = Ed25519SigningKey.Generate();
        using var absentKey = Ed25519SigningKey.Generate();
        var logKey = (Ed25519NoteVerifier)NoteVerifier.Parse(scenario.LogKey);
        var witness = new Witness([new WitnessedLog(ServedScheme.Origin, logKey)], new CosignatureV1Signer("witness.example.org/w1", witnessKey, TimeProvider.System), new InMemoryWitnessStore());
        string absent = new CosignatureV1Signer("witness.example.org/w2", absentKey, TimeProvider.System).Verifier.VerifierKey;
        await using var server = await scenario.ServeCosignedByAsync(witness);
        foreach (string[] command in new[]
        {
            ["sync", server.Url.ToString(), scenario.Directory, .. scenario.Anchors, "--witness", witness.Verifier.VerifierKey, "--witness", absent, "--quorum", "1"],
            new[] { "verify", scenario.Directory },
            ["report", scenario.Directory, "--html", htmlPath],
        })
        {
            var run = await ToolRun.RunAsync(command);
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"walletcore-audit {command[0]} exited {run.ExitCode}: {run}");
            }
        }
    }
}
