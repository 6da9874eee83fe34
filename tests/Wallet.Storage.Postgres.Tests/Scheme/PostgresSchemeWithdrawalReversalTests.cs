using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Tests.Withdrawals;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Scheme;

/// <summary>The withdrawal reversal suite with the ledger and scheme store in PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeWithdrawalReversalTests(PostgresFixture server) : WithdrawalReversalContract, IAsyncLifetime
{
    private readonly PostgresSchemeWorlds _worlds = new(server);

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
