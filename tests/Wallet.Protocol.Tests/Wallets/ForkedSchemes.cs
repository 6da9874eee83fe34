using System.Text;
using Microsoft.Extensions.Time.Testing;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>
/// A forked log: two real <see cref="BenefitScheme"/> instances with one scheme key and one origin whose logs share
/// their first entry and then differ (each announced another keyset), and in-process witnesses that cosign what they
/// are shown. Branch A grows to size 3; branch B stays at 2.
/// </summary>
internal sealed class ForkedSchemes : IDisposable
{
    public const string Origin = "benefits.example.org/pb1";

    private readonly List<IDisposable> _owned = [];

    private ForkedSchemes()
    {
        SchemeKey = Own(Ed25519SigningKey.Generate());
        AccreditationKey = Own(Ed25519SigningKey.Generate());
        A = NewScheme();
        B = NewScheme();
        WitnessSigners = [.. Enumerable.Range(0, 4).Select(i => new CosignatureV1Signer($"witness{i}.example.org", Own(Ed25519SigningKey.Generate()), Time))];
        LogVerifier = new Ed25519NoteVerifier(Origin, SchemeKey.PublicKey);
    }

    public FakeTimeProvider Time { get; } = new(ProtocolWorld.Start);

    public Ed25519SigningKey SchemeKey { get; }

    public Ed25519SigningKey AccreditationKey { get; }

    /// <summary>The log's vkey: the scheme key under the origin.</summary>
    public Ed25519NoteVerifier LogVerifier { get; }

    public BenefitScheme A { get; }

    public BenefitScheme B { get; }

    /// <summary>Four witness keys; a <see cref="Witness"/> made from one keeps its own state.</summary>
    public IReadOnlyList<CosignatureV1Signer> WitnessSigners { get; }

    public KeysetDescriptor Shared { get; private set; } = null!;

    public KeysetDescriptor OnlyA { get; private set; } = null!;

    public KeysetDescriptor OnlyB { get; private set; } = null!;

    /// <summary>Branch A's checkpoint at size 2, signed by the log only.</summary>
    public SignedNote A2 { get; private set; } = null!;

    /// <summary>Branch B's checkpoint at size 2: the same size as <see cref="A2"/>, another root.</summary>
    public SignedNote B2 { get; private set; } = null!;

    /// <summary>Branch A's checkpoint at size 3.</summary>
    public SignedNote A3 { get; private set; } = null!;

    public static async Task<ForkedSchemes> CreateAsync()
    {
        var world = new ForkedSchemes();
        world.Shared = await world.AnnounceAsync(world.A, 1, "general");
        await world.AnnounceAsync(world.B, 1, "general");
        world.OnlyA = await world.AnnounceAsync(world.A, 2, "general");
        world.OnlyB = await world.AnnounceAsync(world.B, 2, "training");
        world.A2 = await CheckpointAsync(world.A, 2);
        world.B2 = await CheckpointAsync(world.B, 2);
        await world.AnnounceAsync(world.A, 3, "general");
        world.A3 = await CheckpointAsync(world.A, 3);
        return world;
    }

    public Witness NewWitness(int index) =>
        new([new WitnessedLog(Origin, LogVerifier)], WitnessSigners[index], new InMemoryWitnessStore());

    /// <summary>The k-of-n policy over the first <paramref name="witnesses"/> witness keys.</summary>
    public WitnessPolicy Policy(int quorum, int witnesses)
    {
        var options = new WitnessPolicyOptions { LogVerifierKey = LogVerifier.VerifierKey, Quorum = quorum };
        for (int i = 0; i < witnesses; i++)
        {
            options.Witnesses.Add(new WitnessKeyOptions { Name = $"w{i}", VerifierKey = WitnessSigners[i].Verifier.VerifierKey });
        }

        return new WitnessPolicy(options);
    }

    /// <summary>The scheme's checkpoint at <paramref name="size"/> (which must be its current size), signed under the origin.</summary>
    public static async Task<SignedNote> CheckpointAsync(BenefitScheme scheme, ulong size)
    {
        SignedNote note = await scheme.SignCheckpointAsync(Origin);
        Assert.Equal(size, Checkpoint.Parse(note.Text).TreeSize);
        return note;
    }

    /// <summary>Submits a checkpoint to a witness as a log would (old size and proof from the scheme) and appends its cosignature.</summary>
    public static async Task<SignedNote> CosignAsync(BenefitScheme scheme, SignedNote note, ulong oldSize, Witness witness)
    {
        ulong size = Checkpoint.Parse(note.Text).TreeSize;
        ConsistencyProof proof = oldSize == 0 || oldSize == size ? new ConsistencyProof(oldSize, size, []) : await scheme.GetConsistencyProofAsync(oldSize, size);
        AddCheckpointResult result = await witness.AddCheckpointAsync(AddCheckpointRequest.Create(proof, note));
        Assert.True(result.IsCosigned, result.ToString());
        return AddCheckpointResponse.AppendCosignatures(note, Encoding.UTF8.GetBytes(result.FormatBody()));
    }

    /// <summary>A wallet of a registered account on <paramref name="scheme"/>, under <paramref name="policy"/>.</summary>
    public async Task<(WorkerWallet Wallet, WalletSeed Seed, Ed25519SigningKey AccountKey)> NewWalletAsync(BenefitScheme scheme, string account, WitnessPolicy? policy)
    {
        var seed = Own(WalletSeed.Generate());
        var accountKey = Own(Ed25519SigningKey.Generate());
        var id = new AccountId(account);
        await scheme.RegisterAccountAsync(id, accountKey.PublicKey);
        var wallet = Own(new WorkerWallet(seed, id, accountKey, SchemeKey.PublicKey, AccreditationKey.PublicKey, Time, policy));
        return (wallet, seed, accountKey);
    }

    /// <summary>The keyset's announcement and its inclusion proof in <paramref name="scheme"/>'s log at <paramref name="size"/>.</summary>
    public static async Task<(KeysetAnnouncement Announcement, InclusionProof Proof)> InclusionAsync(BenefitScheme scheme, KeysetDescriptor keyset, ulong size)
    {
        var published = (await scheme.ListKeysetsAsync()).Single(k => k.Announcement.Descriptor.Id == keyset.Id);
        return (published.Announcement, await scheme.GetInclusionProofAsync(published.LogIndex, size));
    }

    public T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }
    }

    private BenefitScheme NewScheme() =>
        new(SchemeKey, AccreditationKey.PublicKey, new SchemeLedger(new InMemoryLedgerStore(), Time), new InMemorySchemeStore(), new InMemoryMerkleLogStore(), Time);

    private async Task<KeysetDescriptor> AnnounceAsync(BenefitScheme scheme, uint epoch, string fund)
    {
        var start = ProtocolWorld.Start;
        var descriptor = new KeysetDescriptor(epoch, Amount.FromMinorUnits(100), fund, start, start.AddDays(30), start.AddDays(60), start.AddDays(90), Crypto.BlindRsa.BlindRsaScheme.Rsabssa, ProtocolKeys.Rsa2048.PublicKey.ExportSubjectPublicKeyInfo());
        await scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{descriptor.Id}"), KeysetParameters.Of(descriptor), ProtocolKeys.Rsa2048);
        return descriptor;
    }
}
