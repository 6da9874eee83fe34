using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Crypto.Merkle;

namespace Wallet.Audit.Tool.Tests.Sync;

/// <summary>
/// A split view: a second scheme with the same key and origin but another history. The mirror refuses it, keeps the
/// evidence, stays where it was, and verify names the fork from then on.
/// </summary>
public sealed class ForkTests
{
    [Theory]
    [InlineData(3)] // the fork's tree is larger: the scheme's own consistency proof from the mirrored size fails
    [InlineData(0)] // the same size with another root
    public async Task AForkedHistoryIsRefusedWithEvidenceStoredAndVerifyNamesIt(int extra)
    {
        await using var scenario = await AuditScenario.StartAsync();
        await scenario.GrowAsync(2);
        var first = await scenario.SyncAsync(scenario.Anchors);
        Assert.True(first.ExitCode == 0, first.ToString());
        ulong size = await scenario.SizeAsync();
        var mirrored = await scenario.World.Scheme.GetTreeHeadAsync();

        // Same scheme key, same origin, another log: registries only, so every entry differs from the honest log's.
        var world = scenario.World;
        var fork = new BenefitScheme(world.SchemeKey, world.AccreditationKey.PublicKey, new SchemeLedger(new InMemoryLedgerStore(), world.Time), new InMemorySchemeStore(), new InMemoryMerkleLogStore(), world.Time);
        await AuditScenario.GrowAsync(fork, world, (int)size + extra);
        var forked = await fork.GetTreeHeadAsync();
        Assert.Equal(size + (ulong)extra, forked.TreeSize);
        await using var forkServer = await ServedScheme.StartAsync(fork);

        var run = await ToolRun.RunAsync("sync", forkServer.Url.ToString(), scenario.Directory);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FORK", run.Error, StringComparison.Ordinal);
        Assert.Contains($"tree size {size} with root {mirrored.RootHash}", run.Error, StringComparison.Ordinal);
        Assert.Contains($"tree size {forked.TreeSize} with root {forked.RootHash}", run.Error, StringComparison.Ordinal);
        Assert.Contains("split-view evidence stored", run.Error, StringComparison.Ordinal);
        Assert.Equal(1, SyncTests.Count(scenario.MirrorFile, "forks"));
        Assert.Equal(1, SyncTests.Count(scenario.MirrorFile, "checkpoints"));
        Assert.Equal((long)size, SyncTests.Count(scenario.MirrorFile, "entries"));

        var verify = await scenario.VerifyAsync();
        Assert.Equal(1, verify.ExitCode);
        string line = verify.Out.Split('\n').Single(l => l.StartsWith("FAIL  split-view", StringComparison.Ordinal));
        Assert.Contains($"tree size {size} root {mirrored.RootHash}", line, StringComparison.Ordinal);
        Assert.Contains($"tree size {forked.TreeSize} root {forked.RootHash}", line, StringComparison.Ordinal);
        Assert.Contains(extra == 0 ? "SameSizeDifferentRoots" : "ConsistencyNotProven", line, StringComparison.Ordinal);
        Assert.Contains("both signed by the log", line, StringComparison.Ordinal);

        // The honest scheme still syncs: the mirror was not advanced to the fork.
        var honest = await scenario.SyncAsync();
        Assert.True(honest.ExitCode == 0, honest.ToString());
    }

    [Fact]
    public async Task AnOlderCheckpointThatIsAPrefixIsAcceptedAndNotStored()
    {
        await using var scenario = await AuditScenario.StartAsync();
        var world = scenario.World;

        // A replica that is behind: the same first entries (copied from the honest log), fewer of them.
        var store = new InMemoryMerkleLogStore();
        var log = new MerkleLog(store);
        for (ulong i = 0; await world.Scheme.GetLogEntryAsync(i) is { } entry; i++)
        {
            await log.AppendAsync(entry.Encode());
        }

        await scenario.GrowAsync(3);
        Assert.Equal(0, (await scenario.SyncAsync(scenario.Anchors)).ExitCode);
        var behind = new BenefitScheme(world.SchemeKey, world.AccreditationKey.PublicKey, new SchemeLedger(new InMemoryLedgerStore(), world.Time), new InMemorySchemeStore(), store, world.Time);
        await using var server = await ServedScheme.StartAsync(behind);

        var run = await ToolRun.RunAsync("sync", server.Url.ToString(), scenario.Directory);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("older checkpoint", run.Out, StringComparison.Ordinal);
        Assert.Equal(0, SyncTests.Count(scenario.MirrorFile, "forks"));
        Assert.Equal(1, SyncTests.Count(scenario.MirrorFile, "checkpoints"));
    }
}
