using System.Text;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Tests.Providers;
using Wallet.Protocol.Wire;
using Wallet.Protocol.Witnesses;
using Wallet.Storage.Postgres.Providers;
using Wallet.Storage.Postgres.Tests.Server;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Postgres.Tests.Providers;

/// <summary>The provider store contract, unchanged, against a real PostgreSQL server; and what survives reopening the schema.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresProviderStoreTests(PostgresFixture server) : ProviderStoreContract, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly List<PostgresProviderStore> _stores = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheCheckpointEvidenceAndPaymentsSurviveReopeningTheSchema()
    {
        string schema = await server.NewSchemaAsync("provider");
        var samples = new MessageSamples(41);
        var request = samples.Request();
        var (same, proven) = await SplitViewsAsync();
        var note = same.First;
        await using (var store = await PostgresProviderStore.OpenAsync(schema))
        {
            await store.AddOpenRequestAsync(request, None);
            Assert.True(await store.TryReplaceCheckpointAsync(null, note, None));
            await store.AddSplitViewAsync(proven, None);
            await store.AddSplitViewAsync(same, None);
        }

        await using var reopened = await PostgresProviderStore.OpenAsync(schema);
        Assert.Equal(ProviderPaymentStatus.Open, (await reopened.GetPaymentStateAsync(request.Id, None)).Status);
        Assert.Equal(note, await reopened.GetCheckpointAsync(None));
        Assert.Equal([proven, same], await reopened.ListSplitViewsAsync(None));
        Assert.Equal(PostgresProviderStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM provider_schema"));

        // A stored note that no longer parses is a corrupt row, read as the store's typed error.
        await server.ScalarAsync(schema, "UPDATE checkpoint SET note = '\\x00'::bytea");
        await Assert.ThrowsAsync<ProtocolFormatException>(async () => await reopened.GetCheckpointAsync(None));
    }

    [Fact]
    public async Task AProvidersRefusedForkIsKeptInTheSchemaAndSurvivesReopening()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        string schema = await server.NewSchemaAsync("provider");
        const string origin = "benefits.example.org/pb1";
        using var witnessKey = Ed25519SigningKey.Generate();
        var logKey = new Ed25519NoteVerifier(origin, world.Scheme.PublicKey);
        var witness = new Witness([new WitnessedLog(origin, logKey)], new CosignatureV1Signer("w.example.org", witnessKey, world.Time), new InMemoryWitnessStore());
        var options = new WitnessPolicyOptions { LogVerifierKey = logKey.VerifierKey, Quorum = 1 };
        options.Witnesses.Add(new WitnessKeyOptions { Name = "w", VerifierKey = witness.Verifier.VerifierKey });
        var policy = new WitnessPolicy(options);

        // The scheme's checkpoint, cosigned; and one of the same size and another root under the scheme key: a fork.
        var note = await world.Scheme.SignCheckpointAsync(origin);
        var size = Checkpoint.Parse(note.Text).TreeSize;
        var cosigned = AddCheckpointResponse.AppendCosignatures(note, Encoding.UTF8.GetBytes((await witness.AddCheckpointAsync(AddCheckpointRequest.Create(new ConsistencyProof(0, size, []), note))).FormatBody()));
        var other = Checkpoint.Create(origin, size, MerkleTree.HashLeaf([1, 2, 3])).Sign(new Ed25519NoteSigner(origin, world.SchemeKey));

        await using (var store = await PostgresProviderStore.OpenAsync(schema))
        using (var provider = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, store, policy))
        {
            Assert.Equal(ProviderCheckpointStatus.Accepted, await provider.ObserveCheckpointAsync(cosigned, null));
            Assert.Equal(ProviderCheckpointStatus.Fork, await provider.ObserveCheckpointAsync(other, null));
        }

        await using (var store = await PostgresProviderStore.OpenAsync(schema))
        using (var provider = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, store, policy))
        {
            Assert.Equal(cosigned, await provider.GetTrustedCheckpointAsync());
            var evidence = Assert.Single(await provider.GetSplitViewsAsync());
            Assert.Equal(SplitViewKind.SameSizeDifferentRoots, evidence.Kind);
            Assert.True(evidence.Verify(logKey));
        }
    }

    protected override IProviderStore CreateStore()
    {
        var store = PostgresProviderStore.OpenAsync(server.NewSchemaAsync("provider").GetAwaiter().GetResult()).GetAwaiter().GetResult();
        _stores.Add(store);
        return store;
    }
}
