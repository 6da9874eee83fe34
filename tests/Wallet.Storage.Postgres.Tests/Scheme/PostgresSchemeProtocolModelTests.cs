using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Scheme;

/// <summary>The protocol model test with the ledger and scheme store in PostgreSQL, a fresh schema per run.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeProtocolModelTests(PostgresFixture server) : ProtocolModelTests, IAsyncLifetime
{
    private readonly PostgresSchemeWorlds _worlds = new(server);

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    protected override ValueTask ReleaseWorldAsync() => _worlds.ReleaseAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
