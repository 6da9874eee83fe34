using Wallet.Protocol.Providers;
using Wallet.Protocol.Tests.Providers;
using Wallet.Protocol.Tests.Wire;
using Wallet.Protocol.Wire;
using Wallet.Storage.Postgres.Providers;
using Wallet.Storage.Postgres.Tests.Server;

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

    protected override IProviderStore CreateStore()
    {
        var store = PostgresProviderStore.OpenAsync(server.NewSchemaAsync("provider").GetAwaiter().GetResult()).GetAwaiter().GetResult();
        _stores.Add(store);
        return store;
    }
}
