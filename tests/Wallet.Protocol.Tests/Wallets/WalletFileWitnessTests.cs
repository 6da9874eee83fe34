using System.Text;
using Wallet.Crypto.Notes;
using Wallet.Crypto.SealedFiles;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>The trusted checkpoint and split-view evidence in the wallet file (state version 5, PROTOCOL.md 8.1).</summary>
public sealed class WalletFileWitnessTests : IDisposable
{
    private const string Passphrase = "witnessed wallet passphrase";

    private readonly string _directory = Directory.CreateTempSubdirectory("walletwit-").FullName;

    private string WalletPath => Path.Combine(_directory, "wallet.pb1");

    [Fact]
    public async Task TheTrustedCheckpointAndTheEvidenceSurviveClosingAndReopeningTheFile()
    {
        using var world = await ForkedSchemes.CreateAsync();
        var policy = world.Policy(quorum: 1, witnesses: 2);
        var a2 = await ForkedSchemes.CosignAsync(world.A, world.A2, 0, world.NewWitness(0));
        var a3 = await ForkedSchemes.CosignAsync(world.A, world.A3, 0, world.NewWitness(1));
        var (wallet, seed, accountKey) = await world.NewWalletAsync(world.A, "alice", policy);
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveCheckpoint(a2, null));
        Assert.Equal(TreeHeadStatus.Fork, wallet.ObserveCheckpoint(world.B2, null));
        var (shared, inclusion) = await ForkedSchemes.InclusionAsync(world.A, world.Shared, 2);
        Assert.True(wallet.TrustKeyset(shared, inclusion));

        await wallet.SaveAsync(WalletPath, Passphrase, WalletFileTests.Fast);
        wallet.Dispose();
        using var reopened = await LoadAsync(world, seed, accountKey, policy);

        Assert.Equal(a2, reopened.TrustedCheckpoint);
        var evidence = Assert.Single(reopened.SplitViews);
        Assert.Equal(SplitViewKind.SameSizeDifferentRoots, evidence.Kind);
        Assert.True(evidence.Verify(world.LogVerifier));
        Assert.Same(policy, reopened.WitnessPolicy);
        Assert.Equal([world.Shared.Id], reopened.Keysets.Select(k => k.Id));

        // It goes on from there: the fork is still refused, and a consistent larger checkpoint is accepted.
        Assert.Equal(TreeHeadStatus.Fork, reopened.ObserveCheckpoint(world.B2, null));
        Assert.Single(reopened.SplitViews);
        Assert.Equal(TreeHeadStatus.Accepted, reopened.ObserveCheckpoint(a3, await world.A.GetConsistencyProofAsync(2, 3)));

        await reopened.SaveAsync(WalletPath, Passphrase, WalletFileTests.Fast);
        using var again = await LoadAsync(world, seed, accountKey, policy);
        Assert.Equal(a3, again.TrustedCheckpoint);
        Assert.Equal(reopened.ExportState(), again.ExportState());
        Assert.Equal(WorkerWallet.StateVersion, again.ExportState()[0]);
    }

    [Fact]
    public async Task VersionFourStateStillLoadsWithNoCheckpoint()
    {
        using var world = await ForkedSchemes.CreateAsync();
        var (wallet, seed, accountKey) = await world.NewWalletAsync(world.A, "bob", null);
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveTreeHead(await world.A.GetTreeHeadAsync(), null));
        byte[] state = wallet.ExportState();

        // Version 6 is version 4 followed by has_checkpoint (0), an empty list of evidence, no pending refund claim and an
        // empty list of mandates.
        Assert.Equal(new byte[7], state[^7..]);
        byte[] v4 = state[..^11];
        v4[0] = 4;
        using var loaded = WorkerWallet.ImportState(v4, seed, accountKey, world.SchemeKey.PublicKey, world.AccreditationKey.PublicKey, world.Time);

        Assert.Equal(state, loaded.ExportState());
        Assert.Equal(wallet.TrustedTreeHead, loaded.TrustedTreeHead);
        Assert.Null(loaded.TrustedCheckpoint);
        Assert.Empty(loaded.SplitViews);

        // A version-4 header on a state that carries the version-5 fields has trailing bytes.
        byte[] mislabelled = (byte[])state.Clone();
        mislabelled[0] = 4;
        Assert.Equal(WalletFileError.Malformed, Assert.Throws<WalletFileException>(() => Import(world, mislabelled, seed, accountKey)).Error);
    }

    [Fact]
    public async Task ACorruptCheckpointOrEvidenceInTheFileIsMalformed()
    {
        using var world = await ForkedSchemes.CreateAsync();
        var (wallet, seed, accountKey) = await world.NewWalletAsync(world.A, "carol", null);
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveCheckpoint(world.A2, null));
        byte[] clean = wallet.ExportState();
        using (var reference = Import(world, clean, seed, accountKey))
        {
            Assert.Equal(world.A2, reference.TrustedCheckpoint);
        }

        byte[] note = world.A2.Encode();
        int at = IndexOf(clean, note);
        Assert.True(at > 0);

        // A note that no longer parses (its signature line loses the em dash).
        byte[] unparsable = (byte[])clean.Clone();
        unparsable[at + IndexOf(note, Encoding.UTF8.GetBytes("\u2014"))] = (byte)'-';
        Assert.Equal(WalletFileError.Malformed, Assert.Throws<WalletFileException>(() => Import(world, unparsable, seed, accountKey)).Error);

        // A note that parses but that the scheme did not sign: its size changed from 2 to 3.
        byte[] unsigned = (byte[])clean.Clone();
        unsigned[at + world.A2.Text.IndexOf("\n2\n", StringComparison.Ordinal) + 1] = (byte)'3';
        Assert.Equal(WalletFileError.Malformed, Assert.Throws<WalletFileException>(() => Import(world, unsigned, seed, accountKey)).Error);

        // Evidence whose notes the scheme did not sign is refused too.
        Assert.Equal(TreeHeadStatus.Fork, wallet.ObserveCheckpoint(world.B2, null));
        byte[] withEvidence = wallet.ExportState();
        byte[] evidence = Assert.Single(wallet.SplitViews).Encode();
        int e = IndexOf(withEvidence, evidence);
        var forged = SplitViewEvidenceWithForeignKey(world);
        Assert.Equal(evidence.Length, forged.Length);
        byte[] foreign = [.. withEvidence[..e], .. forged, .. withEvidence[(e + evidence.Length)..]];
        Assert.Equal(WalletFileError.Malformed, Assert.Throws<WalletFileException>(() => Import(world, foreign, seed, accountKey)).Error);
        await SealedFile.WriteAsync(WalletPath, foreign, Passphrase, WalletFileTests.Fast);
        Assert.Equal(WalletFileError.Malformed, (await Assert.ThrowsAsync<WalletFileException>(() => LoadAsync(world, seed, accountKey, null))).Error);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // The same two checkpoints signed by another key under the same origin: same lengths, other signatures.
    private static byte[] SplitViewEvidenceWithForeignKey(ForkedSchemes world)
    {
        using var other = Ed25519SigningKey.Generate();
        var signer = new Ed25519NoteSigner(ForkedSchemes.Origin, other);
        var a = Checkpoint.Parse(world.A2.Text).Sign(signer);
        var b = Checkpoint.Parse(world.B2.Text).Sign(signer);
        Assert.True(SplitViewEvidence.TryCreate(a, b, signer.Verifier, null, out var evidence));
        return evidence.Encode();
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static WorkerWallet Import(ForkedSchemes world, byte[] state, WalletSeed seed, Ed25519SigningKey accountKey) =>
        WorkerWallet.ImportState(state, seed, accountKey, world.SchemeKey.PublicKey, world.AccreditationKey.PublicKey, world.Time);

    private Task<WorkerWallet> LoadAsync(ForkedSchemes world, WalletSeed seed, Ed25519SigningKey accountKey, WitnessPolicy? policy) =>
        WorkerWallet.LoadAsync(WalletPath, Passphrase, seed, accountKey, world.SchemeKey.PublicKey, world.AccreditationKey.PublicKey, world.Time, policy, CancellationToken.None);
}
