using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.Deposits;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Scheme;

/// <summary>The per-payment deposit suite with the ledger and scheme store in one PostgreSQL schema.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeDepositOutcomeTests(PostgresFixture server) : DepositOutcomeContract, IAsyncLifetime
{
    private readonly PostgresSchemeWorlds _worlds = new(server);

    protected override Task<(ILedgerStore Ledger, ISchemeStore Scheme, IMerkleLogStore Log)> CreateStoresAsync() => _worlds.CreateStoresAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
