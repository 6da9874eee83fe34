using Wallet.Crypto.Merkle;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Database;

/// <summary>The Merkle log store contract on the log store of a <see cref="SqliteSchemeDatabase"/>.</summary>
public sealed class SqliteSchemeDatabaseLogStoreTests : MerkleLogStoreContract, IDisposable
{
    private readonly SchemeDatabases _databases = new();

    protected override async Task<IMerkleLogStore> CreateStoreAsync() => (await _databases.OpenAsync()).Log;

    public void Dispose() => _databases.Dispose();
}
