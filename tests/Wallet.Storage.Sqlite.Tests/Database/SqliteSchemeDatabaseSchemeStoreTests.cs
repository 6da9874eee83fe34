using Wallet.Protocol.Schemes;
using Wallet.Storage.Sqlite.Tests.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Database;

/// <summary>The scheme store contract on the scheme store of a <see cref="SqliteSchemeDatabase"/>.</summary>
public sealed class SqliteSchemeDatabaseSchemeStoreTests : SchemeStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly List<SqliteSchemeDatabase> _databases = [];

    protected override ISchemeStore CreateStore()
    {
        var database = SqliteSchemeDatabase.OpenAsync(_temp.File($"walletcore-{_databases.Count}.db")).GetAwaiter().GetResult();
        _databases.Add(database);
        return database.Scheme;
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }

        _temp.Dispose();
    }
}
