using Wallet.Protocol.Roles;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Tests.Payouts;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Scheme;

/// <summary>The payout suite with the ledger and scheme store in PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemePayoutTests(PostgresFixture server) : PayoutContract, IAsyncLifetime
{
    private readonly PostgresSchemeWorlds _worlds = new(server);

    protected override async Task<(ProtocolWorld World, ISchemeOperator Operator)> CreateAsync()
    {
        var world = await _worlds.CreateAsync();
        return (world, world.Scheme);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
