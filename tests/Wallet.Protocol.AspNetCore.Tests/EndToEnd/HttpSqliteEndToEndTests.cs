using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;

namespace Wallet.Protocol.AspNetCore.Tests.EndToEnd;

/// <summary>
/// The whole PB/1 end-to-end suite over real HTTP with the scheme on real SQLite files (ledger, scheme store, Merkle
/// log): the deployment the samples run, one fresh set of files per world.
/// </summary>
public sealed class HttpSqliteEndToEndTests : EndToEndContract, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("walletcore-http-sqlite-").FullName;
    private readonly List<IDisposable> _stores = [];
    private readonly List<SqliteLedgerStore> _ledgers = [];
    private int _created;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        foreach (var ledger in _ledgers)
        {
            await ledger.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    protected override async Task<ProtocolWorld> CreateWorldAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa)
    {
        int n = Interlocked.Increment(ref _created);
        var ledger = await SqliteLedgerStore.OpenAsync(Path.Combine(_directory, $"ledger-{n}.db"));
        var scheme = SqliteSchemeStore.Open(Path.Combine(_directory, $"scheme-{n}.db"));
        var log = SqliteMerkleLogStore.Open(Path.Combine(_directory, $"log-{n}.db"));
        lock (_stores)
        {
            _ledgers.Add(ledger);
            _stores.Add(scheme);
            _stores.Add(log);
        }

        return await ProtocolWorld.CreateAsync(ledger, scheme, log, mode, async world =>
        {
            var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme));
            return server.Client();
        });
    }
}
