using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;

namespace Wallet.Benchmarks.Ledger;

/// <summary>Ledger operations on a SQLite file (WAL, synchronous=FULL) against the bare-INSERT reference.</summary>
[MemoryDiagnoser]
public class LedgerBenchmarks
{
    private string _directory = "";
    private SqliteLedgerStore? _store;
    private SchemeLedger? _ledger;
    private LedgerBenchmarkData.BareInserter? _bare;
    private long _nextCoin;
    private long _nextBare;
    private long _nextWithdrawal;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("walletcore-ledger-bdn-").FullName;
        _store = SqliteLedgerStore.OpenAsync(Path.Combine(_directory, "ledger.db")).GetAwaiter().GetResult();
        _ledger = new SchemeLedger(_store, TimeProvider.System);
        LedgerBenchmarkData.FundAsync(_ledger, long.MaxValue / 8).GetAwaiter().GetResult();
        _ledger.ContributeAsync(new IdempotencyKey("fund-2"), ContributionSource.State, LedgerBenchmarkData.Worker, Amount.FromMinorUnits(long.MaxValue / 8)).GetAwaiter().GetResult();
        _bare = new LedgerBenchmarkData.BareInserter(Path.Combine(_directory, "bare.db"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bare?.Dispose();
        _store?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 100)]
    public void BareInsertBatch100()
    {
        _bare!.InsertBatch(LedgerBenchmarkData.Batch(_nextBare, 100));
        _nextBare += 100;
    }

    [Benchmark(OperationsPerInvoke = 100)]
    public LedgerResult DepositBatch100()
    {
        var result = _ledger!.DepositAsync(new IdempotencyKey($"d{_nextCoin}"), LedgerBenchmarkData.Provider, LedgerBenchmarkData.Batch(_nextCoin, 100)).GetAwaiter().GetResult();
        _nextCoin += 100;
        return result;
    }

    [Benchmark]
    public LedgerResult Withdraw() =>
        _ledger!.WithdrawAsync(new IdempotencyKey($"w{_nextWithdrawal++}"), LedgerBenchmarkData.Worker, [new KeysetAmount(LedgerBenchmarkData.Keyset, Amount.FromMinorUnits(1))]).GetAwaiter().GetResult();
}
