using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;
using static Wallet.Protocol.Tests.Witnesses.WitnessFixtures;

namespace Wallet.Protocol.Tests.Witnesses;

/// <summary>The witness role of C2SP tlog-witness against a real, growing Merkle log.</summary>
public sealed class WitnessTests
{
    private readonly InMemoryWitnessStore _store = new();

    [Fact]
    public async Task GrowingLogIsCosignedAtEveryStepWithRealConsistencyProofs()
    {
        var log = new TestLog();
        Witness witness = NewWitness(_store);
        var checkedVia = new NoteVerifierSet(witness.Verifier);
        ulong previous = 0;
        foreach (ulong size in new ulong[] { 1, 2, 3, 4, 7, 8, 9, 16, 17, 31, 64, 100 })
        {
            AddCheckpointRequest request = await log.RequestAsync(previous, size);
            AddCheckpointRequest received = AddCheckpointRequest.Parse(request.Encode());

            AddCheckpointResult result = await witness.AddCheckpointAsync(received);

            Assert.Equal(AddCheckpointStatus.Cosigned, result.Status);
            Assert.Equal(200, result.HttpStatusCode);
            Assert.Equal(size, result.TreeSize);
            SignedNote cosigned = AddCheckpointResponse.AppendCosignatures(request.Note, System.Text.Encoding.UTF8.GetBytes(result.FormatBody()));
            Assert.Equal(witness.Verifier, Assert.Single(checkedVia.Verify(cosigned).VerifiedBy));
            Assert.Equal(request.Note.Text, (await _store.GetLatestAsync(Origin, default))!.Text);
            previous = size;
        }

        Assert.Empty(await _store.GetEvidenceAsync(Origin, default));
    }

    [Fact]
    public async Task SameCheckpointSubmittedAgainIsCosignedAgain()
    {
        var log = new TestLog();
        Witness witness = NewWitness(_store);
        Assert.True((await witness.AddCheckpointAsync(await log.RequestAsync(0, 6))).IsCosigned);

        AddCheckpointResult again = await witness.AddCheckpointAsync(await log.RequestAsync(6, 6));

        Assert.True(again.IsCosigned);
    }

    [Fact]
    public async Task WrongOldSizeIsAnsweredWithTheStoredSizeAndTheRetrySucceeds()
    {
        var log = new TestLog();
        Witness witness = NewWitness(_store);
        Assert.True((await witness.AddCheckpointAsync(await log.RequestAsync(0, 5))).IsCosigned);

        AddCheckpointResult conflict = await witness.AddCheckpointAsync(await log.RequestAsync(3, 8));

        Assert.Equal(AddCheckpointStatus.OldSizeMismatch, conflict.Status);
        Assert.Equal(409, conflict.HttpStatusCode);
        Assert.Equal("5\n", conflict.FormatBody());
        ulong retryFrom = AddCheckpointResponse.ParseTreeSize(System.Text.Encoding.ASCII.GetBytes(conflict.FormatBody()));
        Assert.True((await witness.AddCheckpointAsync(await log.RequestAsync(retryFrom, 8))).IsCosigned);
    }

    [Fact]
    public async Task FirstContactWithANonZeroOldSizeIsAnsweredWithZero()
    {
        var log = new TestLog();

        AddCheckpointResult result = await NewWitness(_store).AddCheckpointAsync(await log.RequestAsync(4, 9));

        Assert.Equal(AddCheckpointStatus.OldSizeMismatch, result.Status);
        Assert.Equal("0\n", result.FormatBody());
        Assert.Null(await _store.GetLatestAsync(Origin, default));
    }

    [Fact]
    public async Task SameSizeWithAnotherRootIsAForkRefusedWithEvidenceThatVerifies()
    {
        var honest = new TestLog();
        var fork = new TestLog(branch: 1, sharedPrefix: 5);
        Witness witness = NewWitness(_store);
        Assert.True((await witness.AddCheckpointAsync(await honest.RequestAsync(0, 8))).IsCosigned);

        AddCheckpointResult result = await witness.AddCheckpointAsync(await fork.RequestAsync(8, 8));

        Assert.Equal(AddCheckpointStatus.Fork, result.Status);
        Assert.Equal(409, result.HttpStatusCode);
        Assert.Empty(result.Cosignatures);
        SplitViewEvidence evidence = Assert.IsType<SplitViewEvidence>(result.Evidence);
        Assert.Equal(SplitViewKind.SameSizeDifferentRoots, evidence.Kind);
        Assert.True(evidence.Verify(LogSigner.Verifier));
        Assert.Equal(evidence, Assert.Single(await _store.GetEvidenceAsync(Origin, default)));
        Assert.Equal((await honest.CheckpointAsync(8)).Text, (await _store.GetLatestAsync(Origin, default))!.Text);
        Assert.True((await witness.AddCheckpointAsync(await honest.RequestAsync(8, 12))).IsCosigned);
    }

    [Fact]
    public async Task BiggerTreeThatDoesNotExtendTheWitnessedOneIsRefusedWithEvidenceThatVerifies()
    {
        var honest = new TestLog();
        var fork = new TestLog(branch: 1, sharedPrefix: 5);
        Witness witness = NewWitness(_store);
        Assert.True((await witness.AddCheckpointAsync(await honest.RequestAsync(0, 8))).IsCosigned);

        // The fork's own, honestly computed proof from 8 to 12: it proves the fork's prefix, not the witnessed tree.
        AddCheckpointResult result = await witness.AddCheckpointAsync(await fork.RequestAsync(8, 12));

        Assert.Equal(AddCheckpointStatus.InconsistentProof, result.Status);
        Assert.Equal(422, result.HttpStatusCode);
        SplitViewEvidence evidence = Assert.IsType<SplitViewEvidence>(result.Evidence);
        Assert.Equal(SplitViewKind.ConsistencyNotProven, evidence.Kind);
        Assert.Equal((8UL, 12UL), (evidence.FirstCheckpoint.TreeSize, evidence.SecondCheckpoint.TreeSize));
        Assert.True(evidence.Verify(LogSigner.Verifier));
        Assert.True(SplitViewEvidence.Parse(evidence.Encode()).Verify(LogSigner.Verifier));
        Assert.Equal(evidence, Assert.Single(await _store.GetEvidenceAsync(Origin, default)));
        Assert.Equal(8UL, Checkpoint.Parse((await _store.GetLatestAsync(Origin, default))!.Text).TreeSize);
    }

    [Fact]
    public async Task ProofThatDoesNotMatchItsTreesIsRefusedAndStateIsKept()
    {
        var log = new TestLog();
        Witness witness = NewWitness(_store);
        Assert.True((await witness.AddCheckpointAsync(await log.RequestAsync(0, 8))).IsCosigned);
        AddCheckpointRequest honest = await log.RequestAsync(8, 13);
        ConsistencyProof otherProof = await log.ProofAsync(7, 13);
        var wrongPath = AddCheckpointRequest.Create(new ConsistencyProof(8, 13, [.. otherProof.Path]), honest.Note);

        AddCheckpointResult result = await witness.AddCheckpointAsync(wrongPath);

        Assert.Equal(AddCheckpointStatus.InconsistentProof, result.Status);
        Assert.Equal(8UL, result.TreeSize);
        Assert.True((await witness.AddCheckpointAsync(honest)).IsCosigned);
    }

    [Fact]
    public async Task NonEmptyProofFromSizeZeroIsRefused()
    {
        var log = new TestLog();
        AddCheckpointRequest honest = await log.RequestAsync(0, 4);
        var padded = AddCheckpointRequest.Create(new ConsistencyProof(0, 4, [MerkleTree.EmptyRoot]), honest.Note);

        AddCheckpointResult result = await NewWitness(_store).AddCheckpointAsync(padded);

        Assert.Equal(AddCheckpointStatus.InconsistentProof, result.Status);
        Assert.Null(await _store.GetLatestAsync(Origin, default));
    }

    [Fact]
    public async Task CheckpointSignedByAnotherKeyIsRefused()
    {
        var log = new TestLog();
        var impostor = new Ed25519NoteSigner(Origin, ImpostorKey);

        AddCheckpointResult result = await NewWitness(_store).AddCheckpointAsync(await log.RequestAsync(0, 4, impostor));

        Assert.Equal(AddCheckpointStatus.NotSignedByLog, result.Status);
        Assert.Equal(403, result.HttpStatusCode);
        Assert.Null(await _store.GetLatestAsync(Origin, default));
    }

    [Fact]
    public async Task CheckpointWithAForgedLogSignatureIsRefused()
    {
        var log = new TestLog();
        SignedNote good = await log.CheckpointAsync(4);
        byte[] forged = good.Signatures[0].Signature.ToArray();
        forged[10] ^= 1;
        SignedNote note = SignedNote.Create(good.Text, [new NoteSignature(Origin, LogSigner.KeyId, forged)]);

        AddCheckpointResult result = await NewWitness(_store).AddCheckpointAsync(AddCheckpointRequest.Create(new ConsistencyProof(0, 4, []), note));

        Assert.Equal(AddCheckpointStatus.NotSignedByLog, result.Status);
    }

    [Fact]
    public async Task UnknownOriginIsRefused()
    {
        var signer = new Ed25519NoteSigner("other.example.org/log", LogKey);
        SignedNote note = Checkpoint.Create(signer.Name, 0, MerkleTree.EmptyRoot).Sign(signer);

        AddCheckpointResult result = await NewWitness(_store).AddCheckpointAsync(AddCheckpointRequest.Create(new ConsistencyProof(0, 0, []), note));

        Assert.Equal(AddCheckpointStatus.UnknownOrigin, result.Status);
        Assert.Equal(404, result.HttpStatusCode);
    }

    [Fact]
    public async Task ReplayOfAnOlderCheckpointIsRefused()
    {
        var log = new TestLog();
        Witness witness = NewWitness(_store);
        AddCheckpointRequest first = await log.RequestAsync(0, 5);
        Assert.True((await witness.AddCheckpointAsync(first)).IsCosigned);
        AddCheckpointRequest second = await log.RequestAsync(5, 9);
        Assert.True((await witness.AddCheckpointAsync(second)).IsCosigned);

        AddCheckpointResult replayFirst = await witness.AddCheckpointAsync(AddCheckpointRequest.Parse(first.Encode()));
        AddCheckpointResult replaySecond = await witness.AddCheckpointAsync(AddCheckpointRequest.Parse(second.Encode()));
        byte[] rollBack = System.Text.Encoding.UTF8.GetBytes("old 9\n\n" + first.Note.Format());

        Assert.Equal((AddCheckpointStatus.OldSizeMismatch, 9UL), (replayFirst.Status, replayFirst.TreeSize));
        Assert.Equal((AddCheckpointStatus.OldSizeMismatch, 9UL), (replaySecond.Status, replaySecond.TreeSize));
        Assert.Throws<WitnessFormatException>(() => AddCheckpointRequest.Parse(rollBack));
        Assert.Equal(9UL, Checkpoint.Parse((await _store.GetLatestAsync(Origin, default))!.Text).TreeSize);
    }

    [Fact]
    public async Task ConcurrentRequestsFromOneSizeCosignExactlyOne()
    {
        var log = new TestLog();
        await log.GrowToAsync(20);
        Witness witness = NewWitness(_store);
        Witness sibling = NewWitness(_store);
        Assert.True((await witness.AddCheckpointAsync(await log.RequestAsync(0, 5))).IsCosigned);
        AddCheckpointRequest[] requests = [.. await Task.WhenAll(Enumerable.Range(6, 12).Select(n => log.RequestAsync(5, (ulong)n)))];

        AddCheckpointResult[] results = await Task.WhenAll(requests.Select((r, i) => Task.Run(async () => await (i % 2 == 0 ? witness : sibling).AddCheckpointAsync(r))));

        AddCheckpointResult winner = Assert.Single(results, r => r.IsCosigned);
        Assert.All(results.Where(r => !r.IsCosigned), r => Assert.Equal((AddCheckpointStatus.OldSizeMismatch, winner.TreeSize), (r.Status, r.TreeSize)));
        Assert.Equal(winner.TreeSize, Checkpoint.Parse((await _store.GetLatestAsync(Origin, default))!.Text).TreeSize);
    }

    [Fact]
    public async Task WitnessKeepsOnlyTheLogsSignaturesOfTheCheckpoint()
    {
        var log = new TestLog();
        SignedNote note = (await log.CheckpointAsync(3)).AddSignature(WitnessSigner(3).Sign(Checkpoint.Parse((await log.CheckpointAsync(3)).Text)));

        Assert.True((await NewWitness(_store).AddCheckpointAsync(AddCheckpointRequest.Create(new ConsistencyProof(0, 3, []), note))).IsCosigned);

        Assert.Equal([LogSigner.KeyId], (await _store.GetLatestAsync(Origin, default))!.Signatures.Select(s => s.KeyId));
    }
}
