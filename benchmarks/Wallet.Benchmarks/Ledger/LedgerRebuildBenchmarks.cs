using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Wallet.Storage.Sqlite.Ledger;

namespace Wallet.Benchmarks.Ledger;

/// <summary>
/// Rebuilding materialised balances from a journal of 100k and 1M entries. The rebuild streams, so the
/// allocated bytes grow with the journal but the live heap (see the quick suite's peak note) does not.
/// </summary>
[MemoryDiagnoser]
public class LedgerRebuildBenchmarks
{
    private string _directory = "";
    private SqliteLedgerStore? _store;

    [Params(100_000, 1_000_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("walletcore-ledger-rebuild-").FullName;
        _store = SqliteLedgerStore.OpenAsync(Path.Combine(_directory, "ledger.db")).GetAwaiter().GetResult();
        LedgerBenchmarkData.FillJournalAsync(_store, Entries, TimeProvider.System).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public long Rebuild() => _store!.RebuildMaterializedStateAsync().GetAwaiter().GetResult();
}
