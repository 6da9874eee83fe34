using Wallet.Protocol.Providers;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Postgres.Providers;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Scheme;

/// <summary>The dues mandate suite with the scheme's ledger and store in PostgreSQL, and the union's provider store in a schema of its own.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeMandateTests(PostgresFixture server) : MandateContract, IAsyncLifetime
{
    private readonly PostgresSchemeWorlds _worlds = new(server);
    private readonly List<PostgresProviderStore> _unions = [];

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    protected override IProviderStore CreateUnionStore()
    {
        var store = PostgresProviderStore.OpenAsync(server.NewSchemaAsync("union").GetAwaiter().GetResult()).GetAwaiter().GetResult();
        _unions.Add(store);
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var union in _unions)
        {
            await union.DisposeAsync();
        }

        await _worlds.DisposeAsync();
    }
}
