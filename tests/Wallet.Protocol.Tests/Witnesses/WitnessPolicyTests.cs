using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;
using static Wallet.Protocol.Tests.Witnesses.WitnessFixtures;

namespace Wallet.Protocol.Tests.Witnesses;

/// <summary>The k-of-n witness policy that wallets and providers apply to a log's checkpoints.</summary>
public sealed class WitnessPolicyTests
{
    private static WitnessPolicyOptions Options(int quorum, int witnesses = 3)
    {
        var options = new WitnessPolicyOptions { LogVerifierKey = LogSigner.Verifier.VerifierKey, Quorum = quorum };
        for (int i = 0; i < witnesses; i++)
        {
            options.Witnesses.Add(new WitnessKeyOptions { Name = $"w{i}", VerifierKey = WitnessSigner(i).Verifier.VerifierKey });
        }

        return options;
    }

    private static async Task<(SignedNote Note, Checkpoint Checkpoint)> CheckpointAsync()
    {
        SignedNote note = await new TestLog().CheckpointAsync(11);
        return (note, Checkpoint.Parse(note.Text));
    }

    private static SignedNote Cosign(SignedNote note, Checkpoint checkpoint, params int[] witnesses) =>
        witnesses.Aggregate(note, (n, i) => n.AddSignature(WitnessSigner(i).Sign(checkpoint)));

    [Fact]
    public async Task CheckpointWithKCosignaturesIsAccepted()
    {
        (SignedNote note, Checkpoint checkpoint) = await CheckpointAsync();
        var policy = new WitnessPolicy(Options(quorum: 2));

        WitnessPolicyResult result = policy.Evaluate(Cosign(note, checkpoint, 2, 0));

        Assert.Equal(WitnessPolicyStatus.Accepted, result.Status);
        Assert.Equal(checkpoint, result.Checkpoint);
        Assert.Equal(["w0", "w2"], result.CosignedBy.AsEnumerable());
    }

    [Fact]
    public async Task CheckpointWithKMinusOneCosignaturesIsRefused()
    {
        (SignedNote note, Checkpoint checkpoint) = await CheckpointAsync();
        var policy = new WitnessPolicy(Options(quorum: 3));

        WitnessPolicyResult result = policy.Evaluate(Cosign(note, checkpoint, 0, 1));

        Assert.Equal(WitnessPolicyStatus.QuorumNotMet, result.Status);
        Assert.False(result.IsAccepted);
        Assert.Equal(["w0", "w1"], result.CosignedBy.AsEnumerable());
    }

    [Fact]
    public async Task SeveralCosignaturesOfOneWitnessCountOnce()
    {
        (SignedNote note, Checkpoint checkpoint) = await CheckpointAsync();
        var clock = Clock();
        var w0 = WitnessSigner(0, clock);
        SignedNote twice = note.AddSignature(w0.Sign(checkpoint));
        clock.Advance(TimeSpan.FromMinutes(5));
        twice = twice.AddSignature(w0.Sign(checkpoint));

        WitnessPolicyResult result = new WitnessPolicy(Options(quorum: 2)).Evaluate(twice);

        Assert.Equal(3, twice.Signatures.Length);
        Assert.Equal(WitnessPolicyStatus.QuorumNotMet, result.Status);
        Assert.Equal(["w0"], result.CosignedBy.AsEnumerable());
    }

    [Fact]
    public async Task CosignaturesByUnconfiguredKeysAreIgnored()
    {
        (SignedNote note, Checkpoint checkpoint) = await CheckpointAsync();
        var stranger = new CosignatureV1Signer("w1", ImpostorKey, Clock());
        SignedNote cosigned = Cosign(note, checkpoint, 3).AddSignature(stranger.Sign(checkpoint));

        WitnessPolicyResult result = new WitnessPolicy(Options(quorum: 1)).Evaluate(cosigned);

        Assert.Equal(WitnessPolicyStatus.QuorumNotMet, result.Status);
        Assert.Empty(result.CosignedBy);
    }

    [Fact]
    public async Task ABadLineOfOneWitnessDoesNotCountAndDoesNotSpoilTheOthers()
    {
        (SignedNote note, Checkpoint checkpoint) = await CheckpointAsync();
        NoteSignature good = WitnessSigner(1).Sign(checkpoint);
        byte[] broken = good.Signature.ToArray();
        broken[^1] ^= 1;
        SignedNote cosigned = Cosign(note, checkpoint, 0).AddSignature(new NoteSignature(good.Name, good.KeyId, broken));

        WitnessPolicyResult result = new WitnessPolicy(Options(quorum: 1)).Evaluate(cosigned);

        Assert.True(result.IsAccepted);
        Assert.Equal(["w0"], result.CosignedBy.AsEnumerable());
    }

    [Fact]
    public async Task CosignedCheckpointWithoutTheLogsSignatureIsRefused()
    {
        (SignedNote note, Checkpoint checkpoint) = await CheckpointAsync();
        SignedNote impostor = checkpoint.Sign(new Ed25519NoteSigner(Origin, ImpostorKey));

        WitnessPolicyResult result = new WitnessPolicy(Options(quorum: 1)).Evaluate(Cosign(impostor, checkpoint, 0, 1, 2));

        Assert.Equal(WitnessPolicyStatus.NotSignedByLog, result.Status);
        Assert.Null(result.Checkpoint);
        Assert.Empty(result.CosignedBy);
        Assert.True(new WitnessPolicy(Options(quorum: 3)).Evaluate(Cosign(note, checkpoint, 0, 1, 2)).IsAccepted);
    }

    [Fact]
    public void NoteSignedByTheLogThatIsNotACheckpointIsRefused()
    {
        SignedNote note = SignedNote.Create("hello\n", [LogSigner.Sign("hello\n")]);

        Assert.Equal(WitnessPolicyStatus.NotACheckpoint, new WitnessPolicy(Options(quorum: 1)).Evaluate(note).Status);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(-1, 3)]
    [InlineData(4, 3)]
    [InlineData(1, 0)]
    public void QuorumOutsideOneToNIsInvalid(int quorum, int witnesses)
    {
        WitnessPolicyOptions options = Options(quorum, witnesses);

        Assert.Contains(options.Validate(), f => f.StartsWith("Quorum", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>("options", () => new WitnessPolicy(options));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 3)]
    [InlineData(3, 3)]
    public void QuorumFromOneToNIsValid(int quorum, int witnesses)
    {
        var policy = new WitnessPolicy(Options(quorum, witnesses));

        Assert.Equal((quorum, witnesses), (policy.Quorum, policy.WitnessCount));
    }

    [Fact]
    public void DuplicateWitnessesAndWrongKeyTypesAreInvalid()
    {
        WitnessPolicyOptions options = Options(quorum: 1, witnesses: 2);
        options.Witnesses.Add(new WitnessKeyOptions { Name = "w0", VerifierKey = WitnessSigner(3).Verifier.VerifierKey });
        options.Witnesses.Add(new WitnessKeyOptions { Name = "again", VerifierKey = WitnessSigner(1).Verifier.VerifierKey });
        options.Witnesses.Add(new WitnessKeyOptions { Name = "logkey", VerifierKey = LogSigner.Verifier.VerifierKey });
        options.Witnesses.Add(new WitnessKeyOptions { Name = "garbage", VerifierKey = "not a key" });
        options.Witnesses.Add(new WitnessKeyOptions { Name = " ", VerifierKey = WitnessSigner(2).Verifier.VerifierKey });
        options.LogVerifierKey = WitnessSigner(0).Verifier.VerifierKey;

        IReadOnlyList<string> failures = options.Validate();

        Assert.Equal(
            [
                "LogVerifierKey is not an Ed25519 note verifier key (type 0x01).",
                "Witnesses[2].Name 'w0' is used twice.",
                "Witnesses[3].VerifierKey is configured twice.",
                "Witnesses[4].VerifierKey is not a cosignature/v1 verifier key (type 0x04).",
                "Witnesses[5].VerifierKey is not a cosignature/v1 verifier key (type 0x04).",
                "Witnesses[6].Name is required.",
            ],
            failures);
    }

    [Fact]
    public void MissingLogKeyIsInvalid() =>
        Assert.Contains("LogVerifierKey is required.", new WitnessPolicyOptions { Quorum = 1, Witnesses = { new WitnessKeyOptions { Name = "w", VerifierKey = WitnessSigner(0).Verifier.VerifierKey } } }.Validate());

    [Fact]
    public async Task WitnessCosignaturesFromTheProtocolServeThePolicy()
    {
        var log = new TestLog();
        AddCheckpointRequest request = await log.RequestAsync(0, 21);
        SignedNote note = request.Note;
        foreach (int i in new[] { 0, 1 })
        {
            AddCheckpointResult result = await NewWitness(new InMemoryWitnessStore(), i).AddCheckpointAsync(request);
            note = AddCheckpointResponse.AppendCosignatures(note, System.Text.Encoding.UTF8.GetBytes(result.FormatBody()));
        }

        WitnessPolicyResult accepted = new WitnessPolicy(Options(quorum: 2)).Evaluate(SignedNote.Parse(note.Encode()));

        Assert.True(accepted.IsAccepted);
        Assert.Equal(21UL, accepted.Checkpoint.TreeSize);
        Assert.Equal(request.Checkpoint, accepted.Checkpoint);
    }
}
