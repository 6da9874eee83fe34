using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.Deposits;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Scheme;

/// <summary>The per-payment deposit suite on real SQLite files: ledger, scheme store and Merkle log.</summary>
public sealed class SqliteDepositOutcomeTests : DepositOutcomeContract, IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private readonly List<IDisposable> _stores = [];
    private readonly List<SqliteLedgerStore> _ledgers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _stores.ForEach(s => s.Dispose());
        foreach (var ledger in _ledgers)
        {
            await ledger.DisposeAsync();
        }

        _database.Dispose();
    }

    protected override async Task<(ILedgerStore Ledger, ISchemeStore Scheme, IMerkleLogStore Log)> CreateStoresAsync()
    {
        int n = _ledgers.Count;
        var ledger = await SqliteLedgerStore.OpenAsync(_database.File($"ledger-{n}.db"));
        _ledgers.Add(ledger);
        var scheme = SqliteSchemeStore.Open(_database.File($"scheme-{n}.db"));
        var log = SqliteMerkleLogStore.Open(_database.File($"log-{n}.db"));
        _stores.Add(scheme);
        _stores.Add(log);
        return (ledger, scheme, log);
    }
}
