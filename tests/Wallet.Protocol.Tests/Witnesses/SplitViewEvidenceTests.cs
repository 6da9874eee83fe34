using System.Text;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;
using static Wallet.Protocol.Tests.Witnesses.WitnessFixtures;

namespace Wallet.Protocol.Tests.Witnesses;

/// <summary>Split views: two checkpoints of one log that cannot both be true, found by clients or witnesses and checked by anyone.</summary>
public sealed class SplitViewEvidenceTests
{
    [Fact]
    public async Task TwoWalletsShownTheSameSizeWithDifferentRootsDetectItByComparing()
    {
        SignedNote walletA = await new TestLog().CheckpointAsync(10);
        SignedNote walletB = await new TestLog(branch: 2, sharedPrefix: 9).CheckpointAsync(10);

        Assert.True(SplitViewEvidence.TryCreate(walletA, walletB, LogSigner.Verifier, null, out SplitViewEvidence? evidence));

        Assert.Equal(SplitViewKind.SameSizeDifferentRoots, evidence.Kind);
        Assert.Equal(Origin, evidence.Origin);
        Assert.True(evidence.Verify(LogSigner.Verifier));
        Assert.False(evidence.Verify(new Ed25519NoteSigner(Origin, ImpostorKey).Verifier));
    }

    [Fact]
    public async Task TwoWalletsShownASplitViewAreCaughtByAWitness()
    {
        var viewA = new TestLog();
        var viewB = new TestLog(branch: 2, sharedPrefix: 9);
        var store = new InMemoryWitnessStore();
        Witness witness = NewWitness(store);

        AddCheckpointResult forA = await witness.AddCheckpointAsync(await viewA.RequestAsync(0, 10));
        AddCheckpointResult forB = await witness.AddCheckpointAsync(await viewB.RequestAsync(10, 10));

        Assert.True(forA.IsCosigned);
        Assert.Equal(AddCheckpointStatus.Fork, forB.Status);
        SplitViewEvidence kept = Assert.Single(await store.GetEvidenceAsync(Origin, default));
        Assert.True(SplitViewEvidence.TryCreate(await viewA.CheckpointAsync(10), await viewB.CheckpointAsync(10), LogSigner.Verifier, null, out SplitViewEvidence? compared));
        Assert.Equal(compared, kept);
    }

    [Fact]
    public async Task CheckpointsThatAgreeAreNoEvidence()
    {
        var log = new TestLog();
        SignedNote small = await log.CheckpointAsync(6);
        SignedNote large = await log.CheckpointAsync(15);
        ConsistencyProof proof = await log.ProofAsync(6, 15);

        Assert.False(SplitViewEvidence.TryCreate(small, small, LogSigner.Verifier, null, out _));
        Assert.False(SplitViewEvidence.TryCreate(large, small, LogSigner.Verifier, proof, out _));
        Assert.False(SplitViewEvidence.TryCreate(small, large, LogSigner.Verifier, null, out _));
    }

    [Fact]
    public async Task LargerTreeThatDoesNotExtendTheSmallerIsEvidenceWithTheFailingProof()
    {
        SignedNote small = await new TestLog().CheckpointAsync(6);
        var fork = new TestLog(branch: 3, sharedPrefix: 4);
        SignedNote large = await fork.CheckpointAsync(15);

        Assert.True(SplitViewEvidence.TryCreate(large, small, LogSigner.Verifier, await fork.ProofAsync(6, 15), out SplitViewEvidence? evidence));

        Assert.Equal(SplitViewKind.ConsistencyNotProven, evidence.Kind);
        Assert.Equal(small, evidence.First);
        Assert.True(evidence.Verify(LogSigner.Verifier));
    }

    [Fact]
    public async Task CheckpointsNotBothSignedByTheLogAreNoEvidence()
    {
        SignedNote real = await new TestLog().CheckpointAsync(10);
        SignedNote forged = await new TestLog(branch: 2).CheckpointAsync(10, new Ed25519NoteSigner(Origin, ImpostorKey));

        Assert.False(SplitViewEvidence.TryCreate(real, forged, LogSigner.Verifier, null, out _));
    }

    [Fact]
    public async Task EvidenceRoundTripsThroughItsTextForm()
    {
        SignedNote small = await new TestLog().CheckpointAsync(6);
        var fork = new TestLog(branch: 3, sharedPrefix: 4);
        Assert.True(SplitViewEvidence.TryCreate(small, await fork.CheckpointAsync(15), LogSigner.Verifier, await fork.ProofAsync(6, 15), out SplitViewEvidence? evidence));

        SplitViewEvidence parsed = SplitViewEvidence.Parse(evidence.Encode());

        Assert.Equal(evidence, parsed);
        Assert.Equal(evidence.Format(), parsed.Format());
        Assert.StartsWith("split-view/v1\nfirst ", evidence.Format(), StringComparison.Ordinal);
        Assert.True(parsed.Verify(LogSigner.Verifier));
    }

    [Fact]
    public async Task EvidenceWithAReplacedNoteFailsVerification()
    {
        SignedNote a = await new TestLog().CheckpointAsync(10);
        SignedNote b = await new TestLog(branch: 2).CheckpointAsync(10);
        Assert.True(SplitViewEvidence.TryCreate(a, b, LogSigner.Verifier, null, out SplitViewEvidence? evidence));
        SignedNote forgedB = Checkpoint.Parse(b.Text).Sign(new Ed25519NoteSigner(Origin, ImpostorKey));
        string tampered = evidence.Format().Replace(Convert.ToBase64String(b.Encode()), Convert.ToBase64String(forgedB.Encode()), StringComparison.Ordinal);

        SplitViewEvidence parsed = SplitViewEvidence.Parse(Encoding.ASCII.GetBytes(tampered));

        Assert.False(parsed.Verify(LogSigner.Verifier));
    }

    [Fact]
    public async Task MalformedEvidenceIsRefusedWithAWitnessFormatException()
    {
        SignedNote a = await new TestLog().CheckpointAsync(10);
        SignedNote b = await new TestLog(branch: 2).CheckpointAsync(10);
        SignedNote c = await new TestLog().CheckpointAsync(12);
        string A = Convert.ToBase64String(a.Encode()), B = Convert.ToBase64String(b.Encode()), C = Convert.ToBase64String(c.Encode());
        string[] bodies =
        [
            string.Empty,
            "split-view/v2\nfirst " + A + "\nsecond " + B + "\n",
            "split-view/v1\nfirst " + A + "\n",
            "split-view/v1\nfirst " + A + "\nsecond " + B,
            "split-view/v1\nfirst " + A + "\nsecond " + A + "\n",
            "split-view/v1\nfirst " + A + "\nsecond " + C + "\n",
            "split-view/v1\nfirst " + A + "\nsecond " + B + "\nproof AAAA\n",
            "split-view/v1\nfirst " + A + "\nsecond " + B + "\nextra\n",
            "split-view/v1\nsecond " + A + "\nfirst " + B + "\n",
            "split-view/v1\nfirst " + A + " \nsecond " + B + "\n",
            "split-view/v1\nfirst " + A[..^4] + "\nsecond " + B + "\n",
            "split-view/v1\nfirst aGVsbG8=\nsecond " + B + "\n",
            "split-view/v1\nfirst " + Convert.ToBase64String(Encoding.UTF8.GetBytes("hello\n\n" + a.Signatures[0] + "\n")) + "\nsecond " + B + "\n",
            "split-view/v1\nfirst " + A + "\nsecond " + B + "\n\u00e9",
        ];

        Assert.All(bodies, body => Assert.Throws<WitnessFormatException>(() => SplitViewEvidence.Parse(Encoding.UTF8.GetBytes(body))));
    }
}
