using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Scheme;

/// <summary>The swap suite with the scheme store (swaps, swap spends, withdrawing accounts) in PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeSwapTests(PostgresFixture server) : SwapContract, IAsyncLifetime
{
    private readonly PostgresSchemeWorlds _worlds = new(server);

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
