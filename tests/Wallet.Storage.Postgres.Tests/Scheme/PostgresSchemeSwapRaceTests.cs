using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Tests.Swaps;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Scheme;

/// <summary>The swap race suite with the ledger and scheme store in PostgreSQL: first spend wins across threads.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeSwapRaceTests(PostgresFixture server) : SwapRaceContract, IAsyncLifetime
{
    private readonly PostgresSchemeWorlds _worlds = new(server);

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
