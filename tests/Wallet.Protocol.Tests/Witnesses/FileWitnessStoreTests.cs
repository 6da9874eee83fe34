using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;
using static Wallet.Protocol.Tests.Witnesses.WitnessFixtures;

namespace Wallet.Protocol.Tests.Witnesses;

/// <summary>The store contract on <see cref="FileWitnessStore"/> in a real directory, and what survives a restart.</summary>
public sealed class FileWitnessStoreTests : WitnessStoreContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("witness-store-").FullName;
    private FileWitnessStore _store;

    public FileWitnessStoreTests() => _store = new FileWitnessStore(_directory);

    protected override IWitnessStore Store => _store;

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RestartedWitnessRemembersWhatItCosignedAndStillRefusesTheFork()
    {
        var honest = new TestLog();
        var fork = new TestLog(branch: 1, sharedPrefix: 3);
        Assert.True((await NewWitness(_store).AddCheckpointAsync(await honest.RequestAsync(0, 8))).IsCosigned);
        Assert.Equal(AddCheckpointStatus.Fork, (await NewWitness(_store).AddCheckpointAsync(await fork.RequestAsync(8, 8))).Status);

        Restart();
        Witness restarted = NewWitness(_store);

        Assert.Equal(AddCheckpointStatus.Fork, (await restarted.AddCheckpointAsync(await fork.RequestAsync(8, 8))).Status);
        SplitViewEvidence kept = Assert.Single(await _store.GetEvidenceAsync(Origin, default));
        Assert.True(kept.Verify(LogSigner.Verifier));
        Assert.True((await restarted.AddCheckpointAsync(await honest.RequestAsync(8, 20))).IsCosigned);
        Restart();
        Assert.Equal(20UL, Checkpoint.Parse((await _store.GetLatestAsync(Origin, default))!.Text).TreeSize);
    }

    [Fact]
    public void SecondStoreOnTheSameDirectoryIsRefusedWhileTheFirstIsOpen()
    {
        Assert.ThrowsAny<IOException>(() => new FileWitnessStore(_directory));

        Restart();
    }

    [Fact]
    public async Task WritesLeaveNoTemporaryFilesBehind()
    {
        var log = new TestLog();
        Witness witness = NewWitness(_store);
        Assert.True((await witness.AddCheckpointAsync(await log.RequestAsync(0, 2))).IsCosigned);
        Assert.True((await witness.AddCheckpointAsync(await log.RequestAsync(2, 4))).IsCosigned);

        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
        Assert.Single(Directory.GetFiles(_directory, "*.checkpoint"));
    }

    [Fact]
    public async Task DamagedStateFileIsReportedAsInvalidData()
    {
        SignedNote note = await new TestLog().CheckpointAsync(3);
        Assert.True(await _store.TryReplaceLatestAsync(Origin, null, note, default));
        await File.WriteAllTextAsync(Assert.Single(Directory.GetFiles(_directory, "*.checkpoint")), "not a note");

        await Assert.ThrowsAsync<InvalidDataException>(async () => await _store.GetLatestAsync(Origin, default));
    }

    private void Restart()
    {
        _store.Dispose();
        _store = new FileWitnessStore(_directory);
    }
}
