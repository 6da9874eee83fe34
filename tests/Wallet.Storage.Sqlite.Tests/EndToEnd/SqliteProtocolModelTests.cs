using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>The protocol model test on real SQLite files: a fresh ledger, scheme store and Merkle log per run.</summary>
public sealed class SqliteProtocolModelTests : ProtocolModelTests, IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly List<IDisposable> _stores = [];
    private SqliteLedgerStore? _ledger;
    private int _runs;

    protected override async Task<ProtocolWorld> CreateWorldAsync()
    {
        int n = _runs++;
        _ledger = await SqliteLedgerStore.OpenAsync(_database.File($"ledger-{n}.db"));
        var scheme = SqliteSchemeStore.Open(_database.File($"scheme-{n}.db"));
        var log = SqliteMerkleLogStore.Open(_database.File($"log-{n}.db"));
        _stores.Add(scheme);
        _stores.Add(log);
        return await ProtocolWorld.CreateAsync(_ledger, scheme, log);
    }

    protected override async ValueTask ReleaseWorldAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _stores.Clear();
        if (_ledger is not null)
        {
            await _ledger.DisposeAsync();
            _ledger = null;
        }
    }

    public void Dispose() => _database.Dispose();
}
