using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Wallet.Benchmarks.Ledger;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// Ledger throughput on SQLite (files on disk in a temp directory, WAL, synchronous=FULL): deposits of
/// 100-coin batches against bare prepared INSERTs of the same coin ids, single-coin withdrawals, and the
/// streaming rebuild of balances from the journal with its peak live heap. Set
/// <c>LEDGER_REBUILD_ENTRIES=100000,1000000</c> to compare rebuild memory at those journal lengths.
/// </summary>
public sealed class LedgerQuickSuite : IQuickSuite
{
    private const int Batch = 100;
    private const int Prefill = 10_000;

    public string Name => "ledger";

    public void Run(QuickReporter report) => RunAsync(report).GetAwaiter().GetResult();

    private static async Task RunAsync(QuickReporter report)
    {
        var directory = Directory.CreateTempSubdirectory("walletcore-ledger-bench-");
        try
        {
            report.Note("ledger sqlite settings: journal_mode=WAL, synchronous=FULL (WAL fsynced at every commit), BEGIN IMMEDIATE, one transaction per operation");
            await DepositAsync(report, directory.FullName);
            await WithdrawAsync(report, directory.FullName);
            string? sizes = Environment.GetEnvironmentVariable("LEDGER_REBUILD_ENTRIES");
            foreach (int entries in (sizes ?? "20000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
            {
                await RebuildAsync(report, directory.FullName, entries);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task DepositAsync(QuickReporter report, string directory)
    {
        await using var store = await SqliteLedgerStore.OpenAsync(Path.Combine(directory, "deposit.db"));
        var ledger = new SchemeLedger(store, TimeProvider.System);
        await LedgerBenchmarkData.FundAsync(ledger, 100_000_000);
        using var bare = new LedgerBenchmarkData.BareInserter(Path.Combine(directory, "bare.db"));

        long nextLedgerCoin = 0;
        long nextBareCoin = 0;
        void LedgerBatch()
        {
            var coins = LedgerBenchmarkData.Batch(nextLedgerCoin, Batch);
            var result = ledger.DepositAsync(new IdempotencyKey($"d{nextLedgerCoin}"), LedgerBenchmarkData.Provider, coins).GetAwaiter().GetResult();
            if (!result.Succeeded || result.Conflicts.Count != 0)
            {
                throw new InvalidOperationException($"deposit failed: {result}");
            }

            nextLedgerCoin += Batch;
        }

        void BareBatch()
        {
            bare.InsertBatch(LedgerBenchmarkData.Batch(nextBareCoin, Batch));
            nextBareCoin += Batch;
        }

        // Both tables start with the same number of coins in their unique index.
        while (nextLedgerCoin < Prefill)
        {
            LedgerBatch();
            BareBatch();
        }

        // Adjacent, interleaved rounds so each pair sees the same disk and CPU conditions (the machine is
        // shared); the ratio is the median of the per-pair ratios, the rates the medians of the rounds.
        var ledgerRates = new List<double>();
        var bareRates = new List<double>();
        var ratios = new List<double>();
        for (int round = 0; round < 9; round++)
        {
            double bareRate = QuickReporter.Measure(BareBatch, Batch, rounds: 1, roundTime: TimeSpan.FromMilliseconds(200), warmUp: TimeSpan.Zero);
            double ledgerRate = QuickReporter.Measure(LedgerBatch, Batch, rounds: 1, roundTime: TimeSpan.FromMilliseconds(200), warmUp: TimeSpan.Zero);
            bareRates.Add(bareRate);
            ledgerRates.Add(ledgerRate);
            ratios.Add(ledgerRate / bareRate);
        }

        report.Line("ledger-deposit-batch100", nextLedgerCoin, "sqlite", Median(ledgerRates));
        report.Line("sqlite-bare-insert-batch100", nextBareCoin, "sqlite", Median(bareRates));
        report.Note(string.Create(CultureInfo.InvariantCulture,
            $"ratio ledger-deposit-batch100 / sqlite-bare-insert-batch100 = {Median(ratios):F2} (median of 9 adjacent pairs, min {ratios.Min():F2}, max {ratios.Max():F2}; target >= 0.5); size = coins in the table's unique index at the end"));
    }

    private static async Task WithdrawAsync(QuickReporter report, string directory)
    {
        await using var store = await SqliteLedgerStore.OpenAsync(Path.Combine(directory, "withdraw.db"));
        var ledger = new SchemeLedger(store, TimeProvider.System);
        await ledger.ContributeAsync(new IdempotencyKey("fund"), ContributionSource.State, LedgerBenchmarkData.Worker, Amount.FromMinorUnits(long.MaxValue / 4));
        long n = 0;
        var coin = new[] { new KeysetAmount(LedgerBenchmarkData.Keyset, Amount.FromMinorUnits(5)) };
        double rate = QuickReporter.Measure(
            () => ledger.WithdrawAsync(new IdempotencyKey($"w{n++}"), LedgerBenchmarkData.Worker, coin).GetAwaiter().GetResult(),
            rounds: 5,
            roundTime: TimeSpan.FromMilliseconds(250));
        report.Line("ledger-withdraw", (await ledger.GetHeadAsync()).Sequence, "sqlite", rate);
    }

    private static async Task RebuildAsync(QuickReporter report, string directory, int entries)
    {
        string path = Path.Combine(directory, $"rebuild-{entries}.db");
        await using var store = await SqliteLedgerStore.OpenAsync(path);
        await LedgerBenchmarkData.FillJournalAsync(store, entries, TimeProvider.System);

        var watch = Stopwatch.StartNew();
        long folded = await store.RebuildMaterializedStateAsync();
        watch.Stop();
        report.Line("ledger-rebuild", folded, "sqlite", folded / watch.Elapsed.TotalSeconds);

        var verify = Stopwatch.StartNew();
        var verification = await new SchemeLedger(store, TimeProvider.System).VerifyAsync();
        verify.Stop();
        if (!verification.IsValid)
        {
            throw new InvalidOperationException(verification.Problems[0]);
        }

        // Peak live heap while folding: a full collection every 1/20th of the journal.
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        long every = Math.Max(1, entries / 20);
        var balances = new Dictionary<LedgerAccount, long>();
        long count = 0;
        await using (var tx = await store.BeginReadAsync(CancellationToken.None))
        {
            await foreach (var entry in tx.ReadJournalAsync(1, CancellationToken.None))
            {
                foreach (var posting in entry.Postings)
                {
                    balances[posting.Account] = balances.GetValueOrDefault(posting.Account) + posting.Delta;
                }

                if (++count % every == 0)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                }
            }
        }

        report.Note(string.Create(CultureInfo.InvariantCulture,
            $"ledger-rebuild {entries} entries: verify (replay + compare) {entries / verify.Elapsed.TotalSeconds:F0} entries/s; peak live heap while streaming {(peak - baseline) / 1024.0:F0} KiB above baseline ({balances.Count} accounts); process peak working set {Environment.WorkingSet / 1048576.0:F0} MiB now, {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB peak"));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
