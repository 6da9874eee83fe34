using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>
/// Protocol worlds on real SQLite files as the product runs them: one <see cref="SqliteSchemeDatabase"/> per world
/// (ledger, scheme store and Merkle log in one file, one transaction per operation), all in one temporary directory;
/// <see cref="ReleaseAsync"/> closes the databases of every world made so far. The stores in files of their own keep
/// their store contract suites (SqliteLedgerStoreTests, SqliteSchemeStoreTests, SqliteMerkleLogStoreTests).
/// </summary>
public sealed class SqliteWorlds : IAsyncDisposable
{
    private readonly TempDatabase _database = new();
    private readonly List<SqliteSchemeDatabase> _databases = [];
    private int _created;

    public async Task<ProtocolWorld> CreateAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa)
    {
        int n = _created++;
        var database = await SqliteSchemeDatabase.OpenAsync(_database.File($"walletcore-{n}.db"));
        _databases.Add(database);
        return await ProtocolWorld.CreateAsync(
            database.Ledger,
            database.Scheme,
            database.Log,
            mode,
            scheme: world => new BenefitScheme(world.SchemeKey, world.AccreditationKey.PublicKey, world.Ledger, database.Scheme, database.Log, world.Time) { Transactions = database });
    }

    public async ValueTask ReleaseAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        _databases.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        _database.Dispose();
    }
}
