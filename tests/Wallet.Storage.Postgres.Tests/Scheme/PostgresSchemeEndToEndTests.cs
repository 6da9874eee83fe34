using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Scheme;

/// <summary>The whole PB/1 end-to-end suite with the ledger and the scheme store in one PostgreSQL schema.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeEndToEndTests(PostgresFixture server) : EndToEndContract, IAsyncLifetime
{
    private readonly PostgresSchemeWorlds _worlds = new(server);

    protected override Task<ProtocolWorld> CreateWorldAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa) => _worlds.CreateAsync(mode);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
