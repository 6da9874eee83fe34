using Wallet.Protocol.Ledger;
using Wallet.Protocol.Tests.Ledger;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Ledger;

/// <summary>The ledger model test, unchanged, over a new schema on the real server per generated sequence.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerModelTests(PostgresFixture server) : LedgerModelTests
{
    protected override ILedgerStore CreateStore() => server.NewStoreAsync("model").GetAwaiter().GetResult();
}
