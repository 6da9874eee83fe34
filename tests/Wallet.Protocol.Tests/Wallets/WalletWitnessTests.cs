using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>
/// Wallets that trust the scheme's log only through witnessed checkpoints (PROTOCOL.md 5.13): a split view, two
/// branches of one log shown to two wallets, is detected when they gossip, and kept as evidence anyone can check.
/// </summary>
public sealed class WalletWitnessTests
{
    [Fact]
    public async Task AWitnessRefusesACheckpointOfItsSizeWithAnotherRootAndKeepsTheFork()
    {
        using var world = await ForkedSchemes.CreateAsync();
        var store = new InMemoryWitnessStore();
        var witness = new Witness([new WitnessedLog(ForkedSchemes.Origin, world.LogVerifier)], world.WitnessSigners[0], store);
        await ForkedSchemes.CosignAsync(world.A, world.A2, 0, witness);

        var result = await witness.AddCheckpointAsync(AddCheckpointRequest.Create(new ConsistencyProof(2, 2, []), world.B2));

        Assert.Equal(AddCheckpointStatus.Fork, result.Status);
        Assert.False(result.IsCosigned);
        Assert.Equal(SplitViewKind.SameSizeDifferentRoots, result.Evidence!.Kind);
        Assert.True(result.Evidence.Verify(world.LogVerifier));
        Assert.Equal(result.Evidence, Assert.Single(await store.GetEvidenceAsync(ForkedSchemes.Origin, CancellationToken.None)));
        Assert.Equal(world.A2.Text, (await store.GetLatestAsync(ForkedSchemes.Origin, CancellationToken.None))!.Text);
    }

    [Fact]
    public async Task AWitnessRefusesALargerCheckpointOfAnotherBranchAndKeepsTheFailedProof()
    {
        using var world = await ForkedSchemes.CreateAsync();
        var store = new InMemoryWitnessStore();
        var witness = new Witness([new WitnessedLog(ForkedSchemes.Origin, world.LogVerifier)], world.WitnessSigners[0], store);
        await ForkedSchemes.CosignAsync(world.B, world.B2, 0, witness);

        // Branch A's own proof from 2 to 3 does not lead from B's root of size 2.
        var result = await witness.AddCheckpointAsync(AddCheckpointRequest.Create(await world.A.GetConsistencyProofAsync(2, 3), world.A3));

        Assert.Equal(AddCheckpointStatus.InconsistentProof, result.Status);
        Assert.Equal(SplitViewKind.ConsistencyNotProven, result.Evidence!.Kind);
        Assert.True(result.Evidence.Verify(world.LogVerifier));
        Assert.Equal(result.Evidence, Assert.Single(await store.GetEvidenceAsync(ForkedSchemes.Origin, CancellationToken.None)));
    }

    [Fact]
    public async Task TwoWalletsTrustTheirOwnBranchAndRefuseEachOthersWithEvidence()
    {
        using var world = await ForkedSchemes.CreateAsync();

        // The scheme shows each witness, and each wallet, its own branch: w0 sees A at size 2, w1 sees B at size 2.
        var (w0, w1) = (world.NewWitness(0), world.NewWitness(1));
        var a2 = await ForkedSchemes.CosignAsync(world.A, world.A2, 0, w0);
        var b2 = await ForkedSchemes.CosignAsync(world.B, world.B2, 0, w1);
        var policy = world.Policy(quorum: 1, witnesses: 2);
        var (alice, _, _) = await world.NewWalletAsync(world.A, "alice", policy);
        var (bob, _, _) = await world.NewWalletAsync(world.B, "bob", policy);

        Assert.Equal(TreeHeadStatus.Accepted, alice.ObserveCheckpoint(a2, null));
        Assert.Equal(TreeHeadStatus.Accepted, bob.ObserveCheckpoint(b2, null));

        // Each trusts the keysets of its own branch against its checkpoint, and not the other branch's.
        var (onlyA, proofA) = await ForkedSchemes.InclusionAsync(world.A, world.OnlyA, 2);
        var (onlyB, proofB) = await ForkedSchemes.InclusionAsync(world.B, world.OnlyB, 2);
        Assert.True(alice.TrustKeyset(onlyA, proofA));
        Assert.False(alice.TrustKeyset(onlyB, proofB));
        Assert.True(bob.TrustKeyset(onlyB, proofB));
        Assert.False(bob.TrustKeyset(onlyA, proofA));

        // Gossip: each is shown the other's checkpoint. Both refuse it and keep evidence that verifies with the log key.
        Assert.Equal(TreeHeadStatus.Fork, alice.ObserveCheckpoint(b2, null));
        Assert.Equal(TreeHeadStatus.Fork, bob.ObserveCheckpoint(a2, null));
        foreach (var wallet in new[] { alice, bob })
        {
            var evidence = Assert.Single(wallet.SplitViews);
            Assert.Equal(SplitViewKind.SameSizeDifferentRoots, evidence.Kind);
            Assert.True(evidence.Verify(world.LogVerifier));
            Assert.True(SplitViewEvidence.Parse(evidence.Encode()).Verify(world.LogVerifier));
        }

        Assert.Equal(a2, alice.TrustedCheckpoint);
        Assert.Equal(b2, bob.TrustedCheckpoint);

        // Shown twice, the same evidence is kept once.
        Assert.Equal(TreeHeadStatus.Fork, alice.ObserveCheckpoint(b2, null));
        Assert.Single(alice.SplitViews);
    }

    [Fact]
    public async Task ALargerCheckpointWhoseProofFailsIsAForkWithTheFailedProofKept()
    {
        using var world = await ForkedSchemes.CreateAsync();
        var (w0, w1) = (world.NewWitness(0), world.NewWitness(1));
        var policy = world.Policy(quorum: 2, witnesses: 2);
        var b2 = world.B2;
        b2 = await ForkedSchemes.CosignAsync(world.B, await ForkedSchemes.CosignAsync(world.B, b2, 0, w0), 0, w1);
        var (wallet, _, _) = await world.NewWalletAsync(world.B, "carol", policy);
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveCheckpoint(b2, null));

        // Branch A at size 3, cosigned by fresh witnesses that never saw B, with A's own proof from 2 to 3.
        var a3 = world.A3;
        var (x0, x1) = (world.NewWitness(0), world.NewWitness(1));
        a3 = await ForkedSchemes.CosignAsync(world.A, await ForkedSchemes.CosignAsync(world.A, a3, 0, x0), 0, x1);
        var proof = await world.A.GetConsistencyProofAsync(2, 3);

        Assert.Equal(TreeHeadStatus.Fork, wallet.ObserveCheckpoint(a3, proof));
        var evidence = Assert.Single(wallet.SplitViews);
        Assert.Equal(SplitViewKind.ConsistencyNotProven, evidence.Kind);
        Assert.Equal(proof, evidence.Proof);
        Assert.True(evidence.Verify(world.LogVerifier));
        Assert.Equal(b2, wallet.TrustedCheckpoint);

        // Without a proof there is nothing others could check: refused, nothing more kept.
        Assert.Equal(TreeHeadStatus.Fork, wallet.ObserveCheckpoint(a3, null));
        Assert.Single(wallet.SplitViews);
    }

    [Fact]
    public async Task AConsistentLargerCheckpointMovesTrustAndAnOlderOneIsStale()
    {
        using var world = await ForkedSchemes.CreateAsync();
        var witness = world.NewWitness(0);
        var policy = world.Policy(quorum: 1, witnesses: 1);
        var a2 = await ForkedSchemes.CosignAsync(world.A, world.A2, 0, witness);
        var a3 = await ForkedSchemes.CosignAsync(world.A, world.A3, 2, witness);
        var (wallet, _, _) = await world.NewWalletAsync(world.A, "dave", policy);
        var proof = await world.A.GetConsistencyProofAsync(2, 3);

        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveCheckpoint(a2, null));
        Assert.Equal(TreeHeadStatus.Fork, wallet.ObserveCheckpoint(a3, null));
        Assert.Empty(wallet.SplitViews);
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveCheckpoint(a3, proof));
        Assert.Equal(a3, wallet.TrustedCheckpoint);
        Assert.Equal(TreeHeadStatus.Stale, wallet.ObserveCheckpoint(a2, proof));
        Assert.Equal(a3, wallet.TrustedCheckpoint);

        // Keysets are trusted against the checkpoint's size and root, never a tree head's.
        Assert.Null(wallet.TrustedTreeHead);
        var (shared, atThree) = await ForkedSchemes.InclusionAsync(world.A, world.Shared, 3);
        var (_, atTwo) = await ForkedSchemes.InclusionAsync(world.A, world.Shared, 2);
        Assert.False(wallet.TrustKeyset(shared, atTwo));
        Assert.True(wallet.TrustKeyset(shared, atThree));
        Assert.Equal([world.Shared.Id], wallet.Keysets.Select(k => k.Id));
    }

    [Fact]
    public async Task UnderAPolicyATreeHeadAloneDoesNotMoveTrust()
    {
        using var world = await ForkedSchemes.CreateAsync();
        var (wallet, _, _) = await world.NewWalletAsync(world.A, "erin", world.Policy(quorum: 1, witnesses: 1));
        var head = await world.A.GetTreeHeadAsync();

        Assert.Equal(TreeHeadStatus.NotWitnessed, wallet.ObserveTreeHead(head, null));
        Assert.Null(wallet.TrustedTreeHead);
        var (shared, proof) = await ForkedSchemes.InclusionAsync(world.A, world.Shared, head.TreeSize);
        Assert.False(wallet.TrustKeyset(shared, proof));

        // A head that the scheme did not sign is still a bad signature.
        using var other = Ed25519SigningKey.Generate();
        var forged = SignedTreeHead.Sign(head.TreeSize, head.RootHash, other, world.Time);
        Assert.Equal(TreeHeadStatus.BadSignature, wallet.ObserveTreeHead(forged, null));
    }

    [Fact]
    public async Task TheQuorumCountsDistinctConfiguredWitnessesWhoseLinesVerify()
    {
        using var world = await ForkedSchemes.CreateAsync();
        var note = world.A3;
        var checkpoint = Checkpoint.Parse(note.Text);
        var lines = world.WitnessSigners.Select(s => s.Sign(checkpoint)).ToArray();
        var (wallet, _, _) = await world.NewWalletAsync(world.A, "frank", world.Policy(quorum: 2, witnesses: 3));

        // k − 1 valid cosignatures.
        Assert.Equal(TreeHeadStatus.NotWitnessed, wallet.ObserveCheckpoint(note.AddSignature(lines[0]), null));

        // One witness's line twice counts once.
        Assert.Equal(TreeHeadStatus.NotWitnessed, wallet.ObserveCheckpoint(note.AddSignature(lines[0]).AddSignature(lines[0]), null));

        // A line from a key the policy does not name (witness 3) does not count.
        Assert.Equal(TreeHeadStatus.NotWitnessed, wallet.ObserveCheckpoint(note.AddSignature(lines[0]).AddSignature(lines[3]), null));

        // A configured witness's line that does not verify counts as none from it.
        byte[] bad = lines[1].Signature.ToArray();
        bad[^1] ^= 1;
        var broken = new NoteSignature(lines[1].Name, lines[1].KeyId, bad);
        Assert.Equal(TreeHeadStatus.NotWitnessed, wallet.ObserveCheckpoint(note.AddSignature(lines[0]).AddSignature(broken), null));
        Assert.Null(wallet.TrustedCheckpoint);

        // A note not signed by the log is refused whatever its cosignatures.
        var forged = checkpoint.Sign(new Ed25519NoteSigner(ForkedSchemes.Origin, world.Own(Ed25519SigningKey.Generate())));
        Assert.Equal(TreeHeadStatus.BadSignature, wallet.ObserveCheckpoint(forged.AddSignature(lines[0]).AddSignature(lines[1]), null));

        // k distinct valid cosignatures, with the noise around them, are enough.
        var witnessed = note.AddSignature(lines[3]).AddSignature(broken).AddSignature(lines[0]).AddSignature(lines[2]);
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveCheckpoint(witnessed, null));
        Assert.Equal(witnessed, wallet.TrustedCheckpoint);
    }

    [Fact]
    public async Task WithoutAPolicyALogSignedCheckpointIsTrustedAndPinsItsOrigin()
    {
        using var world = await ForkedSchemes.CreateAsync();
        var (wallet, _, _) = await world.NewWalletAsync(world.A, "grace", null);
        var a3 = world.A3;

        // The first checkpoint, signed by the scheme key under its origin, is trusted as a tree head would be.
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveCheckpoint(a3, null));
        var head = await world.A.GetTreeHeadAsync();
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveTreeHead(head, null));

        // The same key under another origin names another log.
        var elsewhere = await world.A.SignCheckpointAsync("elsewhere.example.org/pb1");
        Assert.Equal(TreeHeadStatus.BadSignature, wallet.ObserveCheckpoint(elsewhere, null));

        // A tree head that contradicts the trusted checkpoint is a fork too.
        var b2 = await world.B.GetTreeHeadAsync();
        Assert.Equal(TreeHeadStatus.Fork, wallet.ObserveTreeHead(b2, await world.B.GetConsistencyProofAsync(1, 2)));
        Assert.Equal(a3, wallet.TrustedCheckpoint);
    }

    [Fact]
    public async Task EvidenceIsKeptUpToItsBoundAndTheTrustedCheckpointStays()
    {
        using var world = await ForkedSchemes.CreateAsync();
        var (wallet, _, _) = await world.NewWalletAsync(world.A, "heidi", null);
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveCheckpoint(world.A2, null));
        var signer = new Ed25519NoteSigner(ForkedSchemes.Origin, world.SchemeKey);

        // Only the scheme's key can make more forks; past the bound the first ones already prove it.
        for (int i = 0; i < 70; i++)
        {
            var other = Checkpoint.Create(ForkedSchemes.Origin, 2, MerkleTree.HashLeaf([(byte)i, 0xff])).Sign(signer);
            Assert.Equal(TreeHeadStatus.Fork, wallet.ObserveCheckpoint(other, null));
        }

        Assert.Equal(64, wallet.SplitViews.Count);
        Assert.All(wallet.SplitViews, e => Assert.True(e.Verify(world.LogVerifier)));
        Assert.Equal(world.A2, wallet.TrustedCheckpoint);
    }

    [Fact]
    public void APolicyForAnotherLogKeyIsRefusedWhenTheWalletIsMade()
    {
        using var seed = WalletSeed.Generate();
        using var account = Ed25519SigningKey.Generate();
        using var scheme = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        using var witness = Ed25519SigningKey.Generate();
        var options = new WitnessPolicyOptions { LogVerifierKey = new Ed25519NoteVerifier(ForkedSchemes.Origin, other.PublicKey).VerifierKey, Quorum = 1 };
        options.Witnesses.Add(new WitnessKeyOptions { Name = "w", VerifierKey = new CosignatureV1Verifier("w.example.org", witness.PublicKey).VerifierKey });

        var error = Assert.Throws<ArgumentException>(() => new WorkerWallet(seed, new AccountId("h"), account, scheme.PublicKey, other.PublicKey, TimeProvider.System, new WitnessPolicy(options)));
        Assert.Equal("witnessPolicy", error.ParamName);
    }
}
