using System.Text;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Tests.Wallets;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Tests.Providers;

/// <summary>A provider that trusts the scheme's log through witnessed checkpoints (PROTOCOL.md 5.13) and checks its deposit receipts against them.</summary>
public sealed class ProviderWitnessTests
{
    private const string Origin = "benefits.example.org/pb1";

    [Fact]
    public async Task AProviderTrustsItsBranchAndKeepsEvidenceOfTheOther()
    {
        using var forked = await ForkedSchemes.CreateAsync();
        using var world = await WorldAsync();
        var store = new InMemoryProviderStore();
        var policy = forked.Policy(quorum: 1, witnesses: 2);
        using var provider = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), forked.SchemeKey.PublicKey, world.Time, store, policy);
        var a2 = await ForkedSchemes.CosignAsync(forked.A, forked.A2, 0, forked.NewWitness(0));
        var b2 = await ForkedSchemes.CosignAsync(forked.B, forked.B2, 0, forked.NewWitness(1));

        Assert.Equal(ProviderCheckpointStatus.NotWitnessed, await provider.ObserveCheckpointAsync(forked.A2, null));
        Assert.Null(await provider.GetTrustedCheckpointAsync());
        Assert.Equal(ProviderCheckpointStatus.Accepted, await provider.ObserveCheckpointAsync(a2, null));
        Assert.Equal(ProviderCheckpointStatus.Fork, await provider.ObserveCheckpointAsync(b2, null));
        Assert.Equal(ProviderCheckpointStatus.Fork, await provider.ObserveCheckpointAsync(forked.A3, await forked.B.GetConsistencyProofAsync(1, 2)));

        var evidence = Assert.Single(await provider.GetSplitViewsAsync());
        Assert.Equal(SplitViewKind.SameSizeDifferentRoots, evidence.Kind);
        Assert.True(evidence.Verify(forked.LogVerifier));
        Assert.Equal(a2, await provider.GetTrustedCheckpointAsync());

        // A consistent larger checkpoint of the trusted branch moves trust; an older one is stale; a foreign note is refused.
        var a3 = await ForkedSchemes.CosignAsync(forked.A, forked.A3, 0, forked.NewWitness(0));
        Assert.Equal(ProviderCheckpointStatus.Accepted, await provider.ObserveCheckpointAsync(a3, await forked.A.GetConsistencyProofAsync(2, 3)));
        Assert.Equal(ProviderCheckpointStatus.Stale, await provider.ObserveCheckpointAsync(a2, await forked.A.GetConsistencyProofAsync(2, 3)));
        Assert.Equal(ProviderCheckpointStatus.BadSignature, await provider.ObserveCheckpointAsync(await world.Scheme.SignCheckpointAsync(Origin), null));
        Assert.Equal(a3, await provider.GetTrustedCheckpointAsync());
    }

    [Fact]
    public async Task ADepositReceiptCountsAsWitnessedOnlyUnderAWitnessedCheckpointConsistentWithItsHead()
    {
        using var world = await WorldAsync();
        using var witnessKey = Ed25519SigningKey.Generate();
        var logKey = new Ed25519NoteVerifier(Origin, world.Scheme.PublicKey);
        var witness = new Witness([new WitnessedLog(Origin, logKey)], new CosignatureV1Signer("w.example.org", witnessKey, world.Time), new InMemoryWitnessStore());
        var options = new WitnessPolicyOptions { LogVerifierKey = logKey.VerifierKey, Quorum = 1 };
        options.Witnesses.Add(new WitnessKeyOptions { Name = "w", VerifierKey = witness.Verifier.VerifierKey });
        using var checker = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, new InMemoryProviderStore(), new WitnessPolicy(options));

        var wallet = await world.FundedWalletAsync("worker-w1", world.General100);
        await world.PayAsync(wallet, world.UnionA, 100);
        var (_, result) = await world.DepositAsync(world.UnionA, "d-1");
        var receipt = result.Receipt!;
        ulong n = receipt.TreeHead.TreeSize;

        // No witnessed checkpoint yet.
        Assert.Equal(ReceiptWitnessStatus.NotYetWitnessed, await checker.CheckReceiptWitnessedAsync(receipt, null));

        // A witnessed checkpoint of the receipt's size covers it.
        var atN = await CosignAsync(world.Scheme, witness, await world.Scheme.SignCheckpointAsync(Origin), 0);
        Assert.Equal(ProviderCheckpointStatus.Accepted, await checker.ObserveCheckpointAsync(atN, null));
        Assert.Equal(ReceiptWitnessStatus.Witnessed, await checker.CheckReceiptWitnessedAsync(receipt, null));

        // The log grows; a larger witnessed checkpoint covers the receipt with the proof from its head, and only with it.
        var later = world.Descriptor(2, 100, KeysetDescriptor.GeneralFund);
        await world.Scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{later.Id}"), KeysetParameters.Of(later), ProtocolKeys.Rsa2048);
        var larger = await CosignAsync(world.Scheme, witness, await world.Scheme.SignCheckpointAsync(Origin), n);
        ulong m = Checkpoint.Parse(larger.Text).TreeSize;
        var proof = await world.Scheme.GetConsistencyProofAsync(n, m);
        Assert.Equal(ProviderCheckpointStatus.Accepted, await checker.ObserveCheckpointAsync(larger, proof));

        Assert.Equal(ReceiptWitnessStatus.Witnessed, await checker.CheckReceiptWitnessedAsync(receipt, proof));
        Assert.Equal(ReceiptWitnessStatus.Inconsistent, await checker.CheckReceiptWitnessedAsync(receipt, null));
        Assert.Equal(ReceiptWitnessStatus.Inconsistent, await checker.CheckReceiptWitnessedAsync(receipt, await world.Scheme.GetConsistencyProofAsync(n - 1, m)));
    }

    [Fact]
    public async Task APolicyForAnotherLogKeyIsRefusedWhenTheProviderIsMade()
    {
        using var world = await WorldAsync();
        using var other = Ed25519SigningKey.Generate();
        using var witnessKey = Ed25519SigningKey.Generate();
        var options = new WitnessPolicyOptions { LogVerifierKey = new Ed25519NoteVerifier(Origin, other.PublicKey).VerifierKey, Quorum = 1 };
        options.Witnesses.Add(new WitnessKeyOptions { Name = "w", VerifierKey = new CosignatureV1Verifier("w.example.org", witnessKey.PublicKey).VerifierKey });

        var error = Assert.Throws<ArgumentException>(() => new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, new InMemoryProviderStore(), new WitnessPolicy(options)));
        Assert.Equal("witnessPolicy", error.ParamName);
    }

    private static Task<ProtocolWorld> WorldAsync() =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());

    private static async Task<SignedNote> CosignAsync(BenefitScheme scheme, Witness witness, SignedNote note, ulong oldSize)
    {
        ulong size = Checkpoint.Parse(note.Text).TreeSize;
        ConsistencyProof proof = oldSize == 0 ? new ConsistencyProof(0, size, []) : await scheme.GetConsistencyProofAsync(oldSize, size);
        AddCheckpointResult result = await witness.AddCheckpointAsync(AddCheckpointRequest.Create(proof, note));
        Assert.True(result.IsCosigned, result.ToString());
        return AddCheckpointResponse.AppendCosignatures(note, Encoding.UTF8.GetBytes(result.FormatBody()));
    }
}
