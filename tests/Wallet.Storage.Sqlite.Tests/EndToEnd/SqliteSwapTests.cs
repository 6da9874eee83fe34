using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>The swap suite on real SQLite files: ledger, scheme store (swaps, swap spends, withdrawing accounts) and Merkle log.</summary>
public sealed class SqliteSwapTests : SwapContract, IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private readonly List<IDisposable> _stores = [];
    private readonly List<SqliteLedgerStore> _ledgers = [];

    protected override async Task<ProtocolWorld> CreateWorldAsync()
    {
        int n = _ledgers.Count;
        var ledger = await SqliteLedgerStore.OpenAsync(_database.File($"ledger-{n}.db"));
        _ledgers.Add(ledger);
        var scheme = SqliteSchemeStore.Open(_database.File($"scheme-{n}.db"));
        var log = SqliteMerkleLogStore.Open(_database.File($"log-{n}.db"));
        _stores.Add(scheme);
        _stores.Add(log);
        return await ProtocolWorld.CreateAsync(ledger, scheme, log);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var s in _stores)
        {
            s.Dispose();
        }

        foreach (var l in _ledgers)
        {
            await l.DisposeAsync();
        }

        _database.Dispose();
    }
}
