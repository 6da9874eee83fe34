using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Scheme;

/// <summary>The refund suite with the scheme store (refund claims, refunded coins) in PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeRefundTests(PostgresFixture server) : RefundContract, IAsyncLifetime
{
    private readonly PostgresSchemeWorlds _worlds = new(server);

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
