using Microsoft.Extensions.Logging;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Checkpoints;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Witnesses;
using static Wallet.Protocol.Tests.Checkpoints.CheckpointFixtures;

namespace Wallet.Protocol.Tests.Checkpoints;

/// <summary>The scheme collecting cosignatures from in-process witnesses whose state is on disk (PROTOCOL.md 5.16).</summary>
public sealed class CheckpointCosignerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("walletcore-cosigner-").FullName;
    private readonly List<IDisposable> _stores = [];

    public void Dispose()
    {
        foreach (IDisposable store in _stores)
        {
            store.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task TheServedCheckpointCarriesBothCosignaturesAndPassesATwoOfTwoPolicyAsTheLogGrows()
    {
        var log = new SchemeLog();
        var cosigner = new CheckpointCosigner(log.Scheme, [InProcess(NewWitness(Store("w0"), 0)), InProcess(NewWitness(Store("w1"), 1))]);
        WitnessPolicy policy = Policy(2, 0, 1);

        foreach (ulong size in new ulong[] { 5, 9, 9, 300 })
        {
            await log.GrowToAsync(size);
            CosigningResult round = await cosigner.CosignAsync();
            Assert.Equal(size, round.Checkpoint.TreeSize);
            Assert.False(round.HasRefusal);
            Assert.Equal(["witness0.example.org/w", "witness1.example.org/w"], round.CosignedBy.ToArray());

            SignedNote served = await log.Scheme.GetCheckpointAsync();
            Assert.Equal(round.Note, served);
            Assert.Equal(served, cosigner.Latest);
            WitnessPolicyResult verdict = policy.Evaluate(served);
            Assert.True(verdict.IsAccepted, verdict.ToString());
            Assert.Equal(size, verdict.Checkpoint.TreeSize);
            Assert.Equal((await log.Scheme.GetTreeHeadAsync()).RootHash, verdict.Checkpoint.RootHash);
        }
    }

    [Fact]
    public async Task TheLoopSendsAGrownLogToTheWitnessesAndEndsQuietlyWhenCancelled()
    {
        var log = new SchemeLog();
        var cosigner = new CheckpointCosigner(log.Scheme, [InProcess(NewWitness(Store("w0"), 0)), InProcess(NewWitness(Store("w1"), 1))]);
        WitnessPolicy policy = Policy(2, 0, 1);
        using var stop = new CancellationTokenSource();
        Task loop = cosigner.RunAsync(TimeSpan.FromMilliseconds(20), stop.Token);

        foreach (ulong size in new ulong[] { 2, 7 })
        {
            await log.GrowToAsync(size);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (policy.Evaluate(await log.Scheme.GetCheckpointAsync()) is not { IsAccepted: true } verdict || verdict.Checkpoint!.TreeSize != size)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), $"size {size} was never served cosigned");
                await Task.Delay(20);
            }
        }

        await stop.CancelAsync();
        await loop;
        Assert.True(loop.IsCompletedSuccessfully);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cosigner.RunAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task ACheckpointAlreadyCosignedIsNotSentAgain()
    {
        var log = new SchemeLog();
        var recorder = new RecordingWitnessClient(new InProcessWitnessClient(NewWitness(Store("w0"), 0)));
        var cosigner = new CheckpointCosigner(log.Scheme, [new CheckpointWitness(WitnessSigner(0).Verifier, recorder)]);
        await log.GrowToAsync(3);
        await cosigner.CosignAsync();
        CosigningResult again = await cosigner.CosignAsync();

        Assert.Single(recorder.Calls);
        Assert.False(Assert.Single(again.Witnesses).Sent);
        Assert.True(again.Witnesses[0].Submission.IsCosigned);
    }

    [Fact]
    public async Task WithNoWitnessesTheSchemeServesAFreshlySignedCheckpoint()
    {
        var log = new SchemeLog();
        await log.GrowToAsync(4);
        var cosigner = new CheckpointCosigner(log.Scheme, []);
        CosigningResult round = await cosigner.CosignAsync();
        Assert.Empty(round.Witnesses);
        Assert.Null(cosigner.Latest);

        await log.GrowToAsync(6);
        SignedNote served = await log.Scheme.GetCheckpointAsync();
        Assert.Equal(await log.Scheme.SignCheckpointAsync(Origin), served);
        Assert.Single(served.Signatures);
        Assert.True(Checkpoint.TryOpen(served, new NoteVerifierSet(LogVerifier), out Checkpoint? checkpoint));
        Assert.Equal(6UL, checkpoint.TreeSize);
    }

    [Fact]
    public async Task AfterARestartTheCosignerLearnsTheWitnessSizeFromA409AndCatchesUp()
    {
        var log = new SchemeLog();
        await log.GrowToAsync(5);
        FileWitnessStore store = Store("w0");
        await new CheckpointCosigner(log.Scheme, [InProcess(NewWitness(store, 0))]).CosignAsync();

        // The witness restarts on its state directory; the scheme restarts too, so its new cosigner assumes size 0.
        store.Dispose();
        _stores.Remove(store);
        var recorder = new RecordingWitnessClient(new InProcessWitnessClient(NewWitness(Store("w0"), 0)));
        var restarted = new CheckpointCosigner(log.Scheme, [new CheckpointWitness(WitnessSigner(0).Verifier, recorder)]);
        await log.GrowToAsync(8);
        CosigningResult round = await restarted.CosignAsync();

        Assert.Equal(2, recorder.Calls.Count);
        Assert.Equal((0UL, WitnessSubmissionStatus.OldSizeMismatch, 5UL), (recorder.Calls[0].OldSize, recorder.Calls[0].Answer.Status, recorder.Calls[0].Answer.WitnessTreeSize));
        Assert.Equal((5UL, WitnessSubmissionStatus.Cosigned), (recorder.Calls[1].OldSize, recorder.Calls[1].Answer.Status));
        Assert.True(Policy(1, 0).Evaluate(await log.Scheme.GetCheckpointAsync()).IsAccepted);
        Assert.Equal(8UL, round.Checkpoint.TreeSize);
        Assert.True(round.Witnesses[0].Submission.IsCosigned);
    }

    [Fact]
    public async Task AForkedLogIsRefusedByTheWitnessAndTheCosignerReportsItWithoutThrowing()
    {
        var honest = new SchemeLog(history: 0);
        var forked = new SchemeLog(history: 1);
        FileWitnessStore store = Store("w0");
        Witness witness = NewWitness(store, 0);
        await honest.GrowToAsync(4);
        await forked.GrowToAsync(6);
        Assert.Equal(2, (await new CheckpointCosigner(honest.Scheme, [InProcess(witness), InProcess(NewWitness(Store("w1"), 1))]).CosignAsync()).CosignedBy.Length);
        SignedNote honestNote = await honest.Scheme.GetCheckpointAsync();

        // The same scheme key and origin, another history: the witness holds size 4 of the honest log.
        var logger = new ListLogger<CheckpointCosigner>();
        var cosigner = new CheckpointCosigner(forked.Scheme, [InProcess(witness)], logger);
        CosigningResult round = await cosigner.CosignAsync();

        Assert.True(round.HasRefusal);
        Assert.Equal(WitnessSubmissionStatus.InconsistentProof, round.Witnesses[0].Submission.Status);
        Assert.Empty(round.CosignedBy);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("InconsistentProof", StringComparison.Ordinal));
        SplitViewEvidence evidence = Assert.Single(await store.GetEvidenceAsync(Origin, CancellationToken.None));
        Assert.True(evidence.Verify(LogVerifier));

        // The forked scheme still serves (its own, uncosigned) checkpoint; the honest one keeps its cosigned note.
        Assert.Single((await forked.Scheme.GetCheckpointAsync()).Signatures);
        Assert.Null(cosigner.Latest);
        Assert.Equal(honestNote, await honest.Scheme.GetCheckpointAsync());

        // At the witness's own size with another root, the refusal is a fork; it is not sent again for that checkpoint.
        var sameSize = new SchemeLog(history: 2);
        await sameSize.GrowToAsync(4);
        var recorder = new RecordingWitnessClient(new InProcessWitnessClient(witness));
        var forkCosigner = new CheckpointCosigner(sameSize.Scheme, [new CheckpointWitness(witness.Verifier, recorder)], logger);
        Assert.Equal(WitnessSubmissionStatus.Fork, (await forkCosigner.CosignAsync()).Witnesses[0].Submission.Status);
        CosigningResult repeated = await forkCosigner.CosignAsync();
        Assert.False(repeated.Witnesses[0].Sent);
        Assert.True(repeated.HasRefusal);
        Assert.Equal(2, recorder.Calls.Count);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Fork", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWitnessThatDoesNotWitnessTheOriginOrRefusesTheLogKeyLeavesTheOthersCosignatures()
    {
        var log = new SchemeLog();
        await log.GrowToAsync(3);
        var otherOrigin = new Witness([new WitnessedLog("other.example.org/log", LogVerifier)], WitnessSigner(1), Store("w1"));
        var otherKey = new Witness([new WitnessedLog(Origin, new Ed25519NoteSigner(Origin, WitnessKeys[2]).Verifier)], WitnessSigner(2), Store("w2"));
        var cosigner = new CheckpointCosigner(log.Scheme, [InProcess(NewWitness(Store("w0"), 0)), InProcess(otherOrigin), InProcess(otherKey)]);
        CosigningResult round = await cosigner.CosignAsync();

        Assert.Equal(
            [WitnessSubmissionStatus.Cosigned, WitnessSubmissionStatus.UnknownOrigin, WitnessSubmissionStatus.NotSignedByLog],
            round.Witnesses.Select(w => w.Submission.Status));
        Assert.False(round.HasRefusal);
        Assert.True(Policy(1, 0, 1, 2).Evaluate(await log.Scheme.GetCheckpointAsync()).IsAccepted);
        Assert.False(Policy(2, 0, 1, 2).Evaluate(await log.Scheme.GetCheckpointAsync()).IsAccepted);
    }

    [Fact]
    public void TheSameWitnessTwiceOrABadTimeoutIsACallersMistake()
    {
        var log = new SchemeLog();
        CheckpointWitness witness = InProcess(NewWitness(new InMemoryWitnessStore(), 0));
        Assert.Throws<ArgumentException>(() => new CheckpointCosigner(log.Scheme, [witness, InProcess(NewWitness(new InMemoryWitnessStore(), 0))]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointCosigner(log.Scheme, [witness], witnessTimeout: TimeSpan.Zero));
        Assert.Throws<ArgumentNullException>(() => new CheckpointCosigner(null!, [witness]));
        Assert.Throws<ArgumentException>(() => new BenefitScheme(SchemeKey, AccreditationKey.PublicKey, new SchemeLedger(new InMemoryLedgerStore(), TimeProvider.System), new InMemorySchemeStore(), new InMemoryMerkleLogStore(), TimeProvider.System)
        {
            CheckpointOrigin = "https://benefits.example.org/pb1",
        });
    }

    private FileWitnessStore Store(string name)
    {
        var store = new FileWitnessStore(Path.Combine(_directory, name));
        _stores.Add(store);
        return store;
    }
}
