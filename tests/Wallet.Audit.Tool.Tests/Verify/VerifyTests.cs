using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;

namespace Wallet.Audit.Tool.Tests.Verify;

public sealed class VerifyTests
{
    [Fact]
    public async Task ATamperedMirrorEntryFailsVerify()
    {
        await using var scenario = await AuditScenario.StartAsync();
        await scenario.ActivityAsync();
        Assert.Equal(0, (await scenario.SyncAsync(scenario.Anchors)).ExitCode);

        // Change the last byte of entry 4 (the allocation table's signature) and leave the stored leaf hash as it was.
        // The new byte differs from the old one whatever the signature was (a fixed x'00' is a no-op once in 256 runs).
        Update(scenario.MirrorFile,
            "UPDATE entries SET entry = CAST(substr(entry, 1, length(entry) - 1) || "
            + "CASE WHEN substr(entry, length(entry), 1) = x'00' THEN x'01' ELSE x'00' END AS BLOB) WHERE idx = 4");

        var verify = await scenario.VerifyAsync();

        Assert.True(verify.ExitCode == 1, verify.ToString());
        Assert.Contains("FAIL  mirror-entries", verify.Out, StringComparison.Ordinal);
        Assert.Contains("entry 4 does not hash to its stored leaf hash", verify.Out, StringComparison.Ordinal);
        Assert.Contains("FAIL  checkpoint-roots", verify.Out, StringComparison.Ordinal);
        Assert.Matches(@"verify: \d+ checks, [1-9]\d* failed", verify.Out);
    }

    [Fact]
    public async Task AnEntryRewrittenWithAMatchingLeafHashStillFailsOnTheSignedRoot()
    {
        await using var scenario = await AuditScenario.StartAsync();
        await scenario.GrowAsync(3);
        Assert.Equal(0, (await scenario.SyncAsync(scenario.Anchors)).ExitCode);

        using (var connection = Open(scenario.MirrorFile))
        {
            // A careful forger rewrites the entry and its hash together; only the signed checkpoint can tell.
            byte[] forged = (await scenario.World.Scheme.GetLogEntryAsync(5))!.Encode();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE entries SET entry = $e, leaf_hash = $h WHERE idx = 6";
            command.Parameters.AddWithValue("$e", forged);
            command.Parameters.AddWithValue("$h", MerkleTree.HashLeaf(forged).ToArray());
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var verify = await scenario.VerifyAsync();

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("PASS  mirror-entries", verify.Out, StringComparison.Ordinal);
        Assert.Contains("FAIL  checkpoint-roots", verify.Out, StringComparison.Ordinal);
        Assert.Contains("FAIL  audit/BadRegistry", verify.Out, StringComparison.Ordinal); // the replayed registry version repeats
    }

    [Fact]
    public async Task AStoredCheckpointNoteAlteredFailsTheSignatureCheck()
    {
        await using var scenario = await AuditScenario.StartAsync();
        Assert.Equal(0, (await scenario.SyncAsync(scenario.Anchors)).ExitCode);
        Update(scenario.MirrorFile, $"UPDATE checkpoints SET note = replace(note, '{ServedScheme.Origin}\n', 'elsewhere.example.org/pb2\n')");

        var verify = await scenario.VerifyAsync();

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("FAIL  checkpoint-signatures", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WitnessQuorumIsCheckedOnTheLatestCheckpointWhenWitnessesAreConfigured()
    {
        await using var scenario = await AuditScenario.StartAsync();
        using var witnessKey = Ed25519SigningKey.Generate();
        string witness = new CosignatureV1Signer("witness.example.org/w1", witnessKey, TimeProvider.System).Verifier.VerifierKey;

        // The scheme serves checkpoints no witness cosigned: after its wait the mirror keeps them, and verify fails the quorum.
        long started = Stopwatch.GetTimestamp();
        var sync = await scenario.SyncAsync([.. scenario.Anchors, "--witness", witness, "--quorum", "1", "--quorum-wait", "1.5"]);
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("lacks the witness quorum", sync.Error, StringComparison.Ordinal);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(1), "sync gave up on the quorum before its wait");

        var verify = await scenario.VerifyAsync();
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("FAIL  witness-quorum", verify.Out, StringComparison.Ordinal);
        Assert.Contains("QuorumNotMet", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyOfADirectoryWithoutAMirrorIsAUsageError()
    {
        string directory = Path.Combine(Path.GetTempPath(), "walletcore-audit-none-" + Environment.ProcessId);
        var run = await ToolRun.RunAsync("verify", directory);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("holds no mirror", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }

    private static SqliteConnection Open(string mirror)
    {
        var connection = new SqliteConnection($"Data Source={mirror};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Update(string mirror, string sql)
    {
        using var connection = Open(mirror);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(command.ExecuteNonQuery() >= 1);
    }
}
