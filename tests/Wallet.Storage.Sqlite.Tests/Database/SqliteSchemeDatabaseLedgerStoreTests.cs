using Wallet.Protocol.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Database;

/// <summary>The ledger store contract on the ledger of a <see cref="SqliteSchemeDatabase"/> (one file for the whole scheme).</summary>
public sealed class SqliteSchemeDatabaseLedgerStoreTests : LedgerStoreContract
{
    private readonly SchemeDatabases _databases = new();

    protected override async Task<ILedgerStore> CreateStoreAsync() => (await _databases.OpenAsync(SqliteSchemeDatabase.DefaultFileName)).Ledger;

    protected override async Task<ILedgerStore> ReopenAsync(ILedgerStore store)
    {
        _databases.CloseAll();
        return (await _databases.OpenAsync(SqliteSchemeDatabase.DefaultFileName)).Ledger;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _databases.Dispose();
    }
}
