using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Sqlite.Tests.Database;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>
/// Protocol worlds on real SQLite files as the product runs them: one <see cref="SqliteSchemeDatabase"/> per world
/// (ledger, scheme store and Merkle log in one file, one transaction per operation), all in one temporary directory;
/// <see cref="ReleaseAsync"/> closes the databases of every world made so far. The stores in files of their own keep
/// their store contract suites (SqliteLedgerStoreTests, SqliteSchemeStoreTests, SqliteMerkleLogStoreTests).
/// </summary>
public sealed class SqliteWorlds : IAsyncDisposable, IDisposable
{
    private readonly SchemeDatabases _databases = new();

    public async Task<ProtocolWorld> CreateAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa)
    {
        var database = await _databases.OpenAsync();
        return await ProtocolWorld.CreateAsync(
            database.Ledger,
            database.Scheme,
            database.Log,
            mode,
            scheme: world => new BenefitScheme(world.SchemeKey, world.AccreditationKey.PublicKey, world.Ledger, database.Scheme, database.Log, world.Time) { Transactions = database });
    }

    public ValueTask ReleaseAsync()
    {
        _databases.CloseAll();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes every database and deletes the directory.</summary>
    public void Dispose() => _databases.Dispose();
}
