using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>
/// Protocol worlds on real SQLite files (ledger, scheme store, Merkle log), a fresh set of files per world, all in
/// one temporary directory; <see cref="ReleaseAsync"/> closes the stores of every world made so far.
/// </summary>
public sealed class SqliteWorlds : IAsyncDisposable
{
    private readonly TempDatabase _database = new();
    private readonly List<IDisposable> _stores = [];
    private readonly List<SqliteLedgerStore> _ledgers = [];
    private int _created;

    public async Task<ProtocolWorld> CreateAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa)
    {
        int n = _created++;
        var ledger = await SqliteLedgerStore.OpenAsync(_database.File($"ledger-{n}.db"));
        _ledgers.Add(ledger);
        var scheme = SqliteSchemeStore.Open(_database.File($"scheme-{n}.db"));
        var log = SqliteMerkleLogStore.Open(_database.File($"log-{n}.db"));
        _stores.Add(scheme);
        _stores.Add(log);
        return await ProtocolWorld.CreateAsync(ledger, scheme, log, mode);
    }

    public async ValueTask ReleaseAsync()
    {
        foreach (var s in _stores)
        {
            s.Dispose();
        }

        foreach (var l in _ledgers)
        {
            await l.DisposeAsync();
        }

        _stores.Clear();
        _ledgers.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        _database.Dispose();
    }
}
