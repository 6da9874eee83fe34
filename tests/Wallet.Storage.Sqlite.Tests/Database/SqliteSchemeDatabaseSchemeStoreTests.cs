using Wallet.Protocol.Schemes;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Database;

/// <summary>The scheme store contract on the scheme store of a <see cref="SqliteSchemeDatabase"/>.</summary>
public sealed class SqliteSchemeDatabaseSchemeStoreTests : SchemeStoreContract, IDisposable
{
    private readonly SchemeDatabases _databases = new();

    protected override ISchemeStore CreateStore() => _databases.OpenAsync().GetAwaiter().GetResult().Scheme;

    public void Dispose() => _databases.Dispose();
}
