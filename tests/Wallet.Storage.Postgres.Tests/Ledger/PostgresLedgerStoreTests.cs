using Wallet.Protocol.Ledger;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Tests.Server;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Postgres.Tests.Ledger;

/// <summary>The store behaviour contract, unchanged, against a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerStoreTests(PostgresFixture server) : LedgerStoreContract
{
    private string? _connectionString;

    protected override async Task<ILedgerStore> CreateStoreAsync()
    {
        _connectionString = await server.NewSchemaAsync();
        return await PostgresLedgerStore.OpenAsync(_connectionString);
    }

    protected override async Task<ILedgerStore> ReopenAsync(ILedgerStore store)
    {
        await ((PostgresLedgerStore)store).DisposeAsync();
        return await PostgresLedgerStore.OpenAsync(_connectionString!);
    }
}
