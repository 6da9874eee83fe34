using Wallet.Protocol.Ledger;
using Wallet.Protocol.Tests.Ledger;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Ledger;

/// <summary>The cases of <see cref="LedgerIdempotencyHashTests"/> against a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerIdempotencyHashTests(PostgresFixture server) : LedgerIdempotencyHashTests
{
    protected override async Task<ILedgerStore> CreateStoreAsync() => await PostgresLedgerStore.OpenAsync(await server.NewSchemaAsync());
}
