using Microsoft.Data.Sqlite;
using Wallet.Protocol.Audit;

namespace Wallet.Audit.Tool.Tests.Sync;

public sealed class SyncTests
{
    [Fact]
    public async Task SyncThenVerifyAreCleanOnASchemeWithWithdrawalsDepositsExpiryAndAllocation()
    {
        await using var scenario = await AuditScenario.StartAsync();
        await scenario.ActivityAsync();
        ulong size = await scenario.SizeAsync();

        var sync = await scenario.SyncAsync(scenario.Anchors);
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains($"mirrored {size} entries of {ServedScheme.Origin}", sync.Out, StringComparison.Ordinal);

        var verify = await scenario.VerifyAsync();
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.DoesNotContain("FAIL", verify.Out, StringComparison.Ordinal);
        foreach (var name in new[] { "mirror-entries", "log-entries-decode", "checkpoint-signatures", "checkpoint-roots", "checkpoint-consistency", "witness-quorum", "split-view" })
        {
            Assert.Contains($"PASS  {name} ", verify.Out, StringComparison.Ordinal);
        }

        // Every kind of violation the auditor knows is a check of its own, including kinds added later.
        foreach (var kind in Enum.GetValues<AuditViolationKind>())
        {
            Assert.Contains($"PASS  audit/{kind} ", verify.Out, StringComparison.Ordinal);
        }

        Assert.Equal((long)size, Count(scenario.MirrorFile, "entries"));
    }

    [Fact]
    public async Task ASecondSyncFetchesOnlyTheNewEntriesAndChecksConsistency()
    {
        await using var scenario = await AuditScenario.StartAsync();
        await scenario.GrowAsync(300);
        ulong first = await scenario.SizeAsync();
        var initial = await scenario.SyncAsync(scenario.Anchors);
        Assert.True(initial.ExitCode == 0, initial.ToString());
        Assert.Contains(initial.Requests, r => r.EndsWith("/tile/entries/000", StringComparison.Ordinal));
        Assert.Contains("sync: fetched", initial.Error, StringComparison.Ordinal); // plain progress lines: stderr is not a terminal

        await scenario.GrowAsync(5);
        ulong second = await scenario.SizeAsync();
        var again = await scenario.SyncAsync();
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"mirrored {second - first} new entries", again.Out, StringComparison.Ordinal);
        Assert.Contains($"tree size {first} -> {second}", again.Out, StringComparison.Ordinal);

        // Only the bundle holding the new entries: the full first bundle is not fetched again.
        var bundles = again.Requests.Where(r => r.Contains("/tile/", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"/pb1/tile/entries/001.p/{second - 256}"], bundles);
        Assert.Equal((long)second, Count(scenario.MirrorFile, "entries"));
        Assert.Equal(2, Count(scenario.MirrorFile, "checkpoints"));

        var unchanged = await scenario.SyncAsync();
        Assert.True(unchanged.ExitCode == 0, unchanged.ToString());
        Assert.Contains($"up to date at tree size {second}", unchanged.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(unchanged.Requests, r => r.Contains("/tile/", StringComparison.Ordinal));
        Assert.Equal(2, Count(scenario.MirrorFile, "checkpoints"));

        var verify = await scenario.VerifyAsync();
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("PASS  checkpoint-consistency", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableSchemeExitsWithTheNetworkCodeAndAMessageWithoutStackTrace()
    {
        await using var scenario = await AuditScenario.StartAsync();
        string url = scenario.Server.Url.ToString();
        await scenario.Server.DisposeAsync(); // the port is closed now

        var run = await ToolRun.RunAsync(["sync", url, scenario.Directory, .. scenario.Anchors]);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("Cannot reach the scheme at " + url, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Wallet.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnHttpErrorExitsWithTheNetworkCodeNamingTheStatus()
    {
        await using var scenario = await AuditScenario.StartAsync();
        var run = await ToolRun.RunAsync(["sync", new Uri(scenario.Server.Url, "../nowhere/").ToString(), scenario.Directory, .. scenario.Anchors]);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("HTTP 404", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckpointSignedByAnotherKeyIsAnAuditFailureAndNothingIsMirrored()
    {
        await using var scenario = await AuditScenario.StartAsync();
        using var other = Wallet.Crypto.Signing.Ed25519SigningKey.Generate();
        string wrongKey = new Wallet.Crypto.Notes.Ed25519NoteSigner(ServedScheme.Origin, other).Verifier.VerifierKey;

        var run = await scenario.SyncAsync("--log-key", wrongKey, "--accreditation-key", scenario.AccreditationKey);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is not signed by the log key", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, Count(scenario.MirrorFile, "entries"));
        Assert.Equal(0, Count(scenario.MirrorFile, "anchors")); // a wrong key does not bind the mirror
    }

    [Fact]
    public async Task LaterSyncWithOtherAnchorsIsRefusedAndFirstSyncNeedsThem()
    {
        await using var scenario = await AuditScenario.StartAsync();
        var bare = await scenario.SyncAsync();
        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("--log-key", bare.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await scenario.SyncAsync(scenario.Anchors)).ExitCode);
        await scenario.GrowAsync(2);
        using var other = Wallet.Crypto.Signing.Ed25519SigningKey.Generate();

        var refused = await scenario.SyncAsync("--accreditation-key", other.PublicKey.ToString());
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("Refused", refused.Error, StringComparison.Ordinal);
        Assert.Equal(1, Count(scenario.MirrorFile, "checkpoints"));

        var same = await scenario.SyncAsync(scenario.Anchors);
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Equal(2, Count(scenario.MirrorFile, "checkpoints"));
    }

    internal static long Count(string mirror, string table)
    {
        using var connection = new SqliteConnection($"Data Source={mirror};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }
}
