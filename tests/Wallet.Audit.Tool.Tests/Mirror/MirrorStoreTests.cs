namespace Wallet.Audit.Tool.Tests.Mirror;

public sealed class MirrorStoreTests
{
    [Fact]
    public async Task AMirrorFileThatIsNotSqliteIsAUsageErrorWithoutStackTrace()
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-audit-notdb-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "mirror.db"), "this is not a database, but long enough to have a header of some sort......");

            var run = await ToolRun.RunAsync("verify", directory);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("is not a readable mirror", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task TheAnchorsOfAMirrorAreThoseOfItsFirstSuccessfulSync()
    {
        await using var scenario = await AuditScenario.StartAsync();
        using var witnessKey = Wallet.Crypto.Signing.Ed25519SigningKey.Generate();
        string witness = new Wallet.Crypto.Notes.CosignatureV1Signer("witness.example.org/w1", witnessKey, TimeProvider.System).Verifier.VerifierKey;
        Assert.Equal(0, (await scenario.SyncAsync([.. scenario.Anchors, "--witness", witness])).ExitCode);

        using var store = Tool.Mirror.MirrorStore.Open(scenario.Directory, create: false);
        var anchors = store.ReadAnchors()!;

        Assert.Equal(scenario.LogKey, anchors.LogVerifierKey);
        Assert.Equal(scenario.AccreditationKey, anchors.AccreditationKey);
        Assert.Equal(witness, Assert.Single(anchors.Witnesses));
        Assert.Equal(1, anchors.Quorum); // all the witnesses by default
    }
}
