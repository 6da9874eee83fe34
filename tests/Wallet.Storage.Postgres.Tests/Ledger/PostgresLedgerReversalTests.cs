using Wallet.Protocol.Ledger;
using Wallet.Protocol.Tests.Ledger;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Ledger;

/// <summary>The cases of <see cref="LedgerReversalTests"/> against a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerReversalTests(PostgresFixture server) : LedgerReversalTests
{
    protected override async Task<ILedgerStore> CreateStoreAsync() => await PostgresLedgerStore.OpenAsync(await server.NewSchemaAsync());
}
