using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Tests.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Database;

/// <summary>The ledger store contract on the ledger of a <see cref="SqliteSchemeDatabase"/> (one file for the whole scheme).</summary>
public sealed class SqliteSchemeDatabaseLedgerStoreTests : LedgerStoreContract
{
    private readonly TempDatabase _temp = new();
    private readonly List<SqliteSchemeDatabase> _databases = [];

    protected override async Task<ILedgerStore> CreateStoreAsync() => (await OpenAsync()).Ledger;

    protected override async Task<ILedgerStore> ReopenAsync(ILedgerStore store)
    {
        foreach (var database in _databases.Where(d => ReferenceEquals(d.Ledger, store)))
        {
            await database.DisposeAsync();
        }

        return (await OpenAsync()).Ledger;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        _temp.Dispose();
    }

    private async Task<SqliteSchemeDatabase> OpenAsync()
    {
        var database = await SqliteSchemeDatabase.OpenAsync(_temp.File(SqliteSchemeDatabase.DefaultFileName));
        _databases.Add(database);
        return database;
    }
}
