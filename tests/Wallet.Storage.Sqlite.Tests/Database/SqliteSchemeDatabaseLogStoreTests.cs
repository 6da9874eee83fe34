using Wallet.Crypto.Merkle;
using Wallet.Storage.Sqlite.Tests.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Database;

/// <summary>The Merkle log store contract on the log store of a <see cref="SqliteSchemeDatabase"/>.</summary>
public sealed class SqliteSchemeDatabaseLogStoreTests : MerkleLogStoreContract, IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly List<SqliteSchemeDatabase> _databases = [];

    protected override async Task<IMerkleLogStore> CreateStoreAsync()
    {
        var database = await SqliteSchemeDatabase.OpenAsync(_temp.File($"walletcore-{_databases.Count}.db"));
        _databases.Add(database);
        return database.Log;
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
