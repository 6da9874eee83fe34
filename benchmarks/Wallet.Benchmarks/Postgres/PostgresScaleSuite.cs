using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using Wallet.Benchmarks.Quick;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Postgres.Ledger;

namespace Wallet.Benchmarks.Postgres;

/// <summary>
/// The scale run of docs/scaling.md, not a unit test: workers are funded, withdraw their month's coins, and
/// providers deposit them in 100-coin batches, all through <see cref="SchemeLedger"/> on a durable PostgreSQL
/// server; throughput is printed at intervals of the spent set's size, then the process's peak memory.
/// Runs only when asked: <c>WALLETCORE_SCALE_COINS=20000000 WALLETCORE_SCALE_WORKERS=1000000 … --quick pgscale</c>.
/// <c>WALLETCORE_SCALE_PRELOAD=N</c> first bulk-loads N spent rows with COPY (outside the ledger) so the
/// measured deposits run against a larger index than the run itself could reach in the time available.
/// </summary>
public sealed class PostgresScaleSuite : IQuickSuite
{
    private const int Batch = 100;

    public string Name => "pgscale";

    public void Run(QuickReporter report) => RunAsync(report).GetAwaiter().GetResult();

    private static async Task RunAsync(QuickReporter report)
    {
        long coins = Read("WALLETCORE_SCALE_COINS", 0);
        if (coins <= 0)
        {
            report.Note("pgscale: not run; set WALLETCORE_SCALE_COINS (e.g. 20000000) and WALLETCORE_SCALE_WORKERS (e.g. 1000000)");
            return;
        }

        long workers = Math.Max(1, Read("WALLETCORE_SCALE_WORKERS", Math.Max(1, coins / 20)));
        long preload = Read("WALLETCORE_SCALE_PRELOAD", 0);
        int perWorker = checked((int)Math.Max(1, coins / workers));
        await using var server = await PostgresServer.StartAsync(durable: true);
        await using var store = await PostgresLedgerStore.OpenAsync(await server.CreateSchemaAsync("scale"));
        var ledger = new SchemeLedger(store, TimeProvider.System);
        var keyset = new KeysetId(SHA256.HashData("scale-keyset"u8));
        var provider = new AccountId("scale-provider");
        report.Note($"pgscale: {coins} coins, {workers} workers x {perWorker} coins, deposits of {Batch}, preload {preload} rows; fsync on");

        if (preload > 0)
        {
            await PreloadAsync(store, ledger, keyset, preload, report);
        }

        var pending = new List<SpentCoin>(Batch);
        long issued = 0;
        long deposited = 0;
        long operations = 0;
        long interval = Math.Max(Batch, coins / 20);
        long nextReport = interval;
        var total = Stopwatch.StartNew();
        var lap = Stopwatch.StartNew();
        long lapCoins = 0;
        long lapOps = 0;
        for (long w = 0; w < workers && issued < coins; w++)
        {
            var worker = new AccountId($"w{w}");
            Require(await ledger.ContributeAsync(new IdempotencyKey($"c{w}"), ContributionSource.Employer, worker, Amount.FromMinorUnits(perWorker)));
            Require(await ledger.WithdrawAsync(new IdempotencyKey($"w{w}"), worker, [.. Enumerable.Repeat(new KeysetAmount(keyset, Amount.FromMinorUnits(1)), perWorker)]));
            operations += 2;
            lapOps += 2;
            for (int i = 0; i < perWorker; i++)
            {
                pending.Add(new SpentCoin(CoinFor(preload + issued++), keyset, Amount.FromMinorUnits(1)));
                if (pending.Count == Batch)
                {
                    Require(await ledger.DepositAsync(new IdempotencyKey($"d{deposited}"), provider, [.. pending]));
                    deposited += pending.Count;
                    lapCoins += pending.Count;
                    operations++;
                    lapOps++;
                    pending.Clear();
                }
            }

            if (deposited >= nextReport)
            {
                report.Line("ledger-scale-deposit", preload + deposited, "postgres", lapCoins / lap.Elapsed.TotalSeconds);
                report.Note(string.Create(CultureInfo.InvariantCulture,
                    $"pgscale at {preload + deposited} spent rows: {lapOps / lap.Elapsed.TotalSeconds:F0} ledger operations/s over the interval; working set {Environment.WorkingSet / 1048576.0:F0} MiB"));
                nextReport += interval;
                lap.Restart();
                lapCoins = 0;
                lapOps = 0;
            }
        }

        if (pending.Count > 0)
        {
            Require(await ledger.DepositAsync(new IdempotencyKey($"d{deposited}"), provider, [.. pending]));
            deposited += pending.Count;
            operations++;
        }

        report.Line("ledger-scale-total", preload + deposited, "postgres", deposited / total.Elapsed.TotalSeconds);
        report.Note(string.Create(CultureInfo.InvariantCulture,
            $"pgscale done: {deposited} coins issued and deposited, {operations} ledger operations in {total.Elapsed.TotalSeconds:F0} s ({operations / total.Elapsed.TotalSeconds:F0} ops/s); process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB, GC heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB"));
    }

    private static async Task PreloadAsync(PostgresLedgerStore store, SchemeLedger ledger, KeysetId keyset, long rows, QuickReporter report)
    {
        // The first deposit creates the keyset's partition; the bulk rows then go straight into it.
        var worker = new AccountId("preload");
        Require(await ledger.ContributeAsync(new IdempotencyKey("preload-c"), ContributionSource.Employer, worker, Amount.FromMinorUnits(1)));
        Require(await ledger.WithdrawAsync(new IdempotencyKey("preload-w"), worker, [new KeysetAmount(keyset, Amount.FromMinorUnits(1))]));
        Require(await ledger.DepositAsync(new IdempotencyKey("preload-d"), new AccountId("preload"), [new SpentCoin(CoinFor(long.MaxValue), keyset, Amount.FromMinorUnits(1))]));
        var watch = Stopwatch.StartNew();
        var field = typeof(PostgresLedgerStore).GetField("_dataSource", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var dataSource = (NpgsqlDataSource)field.GetValue(store)!;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var copy = await connection.BeginBinaryImportAsync("COPY spent_coins (coin_id, keyset_id, amount, entry_seq) FROM STDIN (FORMAT BINARY)"))
        {
            byte[] keysetBytes = keyset.Bytes.ToArray();
            for (long i = 0; i < rows; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(CoinFor(i).Bytes.ToArray(), NpgsqlDbType.Bytea);
                await copy.WriteAsync(keysetBytes, NpgsqlDbType.Bytea);
                await copy.WriteAsync(1L, NpgsqlDbType.Bigint);
                await copy.WriteAsync(3L, NpgsqlDbType.Bigint);
            }

            await copy.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("ANALYZE spent_coins", connection);
        await analyze.ExecuteNonQueryAsync();
        report.Note(string.Create(CultureInfo.InvariantCulture, $"pgscale: preloaded {rows} spent rows by COPY (outside the ledger) in {watch.Elapsed.TotalSeconds:F0} s"));
    }

    /// <summary>Coin ids are hashes in the real scheme, so index inserts land at random pages: so here.</summary>
    private static CoinId CoinFor(long n)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, n);
        return new CoinId(SHA256.HashData(counter));
    }

    private static void Require(LedgerResult result)
    {
        if (!result.Succeeded || result.Conflicts.Count != 0)
        {
            throw new InvalidOperationException($"scale run operation refused: {result.Status}");
        }
    }

    private static long Read(string name, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : fallback;
}
