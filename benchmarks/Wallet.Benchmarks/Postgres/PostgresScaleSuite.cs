using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using Wallet.Benchmarks.Quick;
using Wallet.Protocol;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Postgres;
using Wallet.Storage.Postgres.Ledger;

namespace Wallet.Benchmarks.Postgres;

/// <summary>
/// The scale run of docs/scaling.md, not a unit test: workers are funded, withdraw their month's coins, and
/// a provider deposits them in 100-coin batches, all through <see cref="SchemeLedger"/> on a durable
/// PostgreSQL server (ledger level: coin ids are generated, no RSA, which scales by cores and is measured by
/// the blind RSA suites); throughput is printed at intervals of the spent set's size, then the process's
/// peak memory. Runs only when asked:
/// <c>WALLETCORE_SCALE_COINS=20000000 WALLETCORE_SCALE_WORKERS=1000000 … --quick pgscale</c>.
/// <c>WALLETCORE_SCALE_STEPS=1000000,5000000,…</c> instead measures a ledger window of that many coins and
/// workers at each listed spent-set size, growing the spent set between windows with COPY (outside the
/// ledger): the index sizes of a run too long for the machine, at a fraction of its time.
/// <c>WALLETCORE_SCALE_SECONDS=N</c> stops taking on new workers after N seconds and reports what was reached.
/// By default the ledger is the one of a <see cref="PostgresSchemeDatabase"/> (the unified store): every ledger operation
/// runs in an operation transaction of the database, and a withdrawal or deposit also appends its leaf to the Merkle log
/// in that transaction, as the scheme's operations do. <c>WALLETCORE_SCALE_STORE=ledger</c> runs the ledger store on its
/// own instead (each operation its own transaction, no log), as the runs before the unified store did.
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
            report.Note("pgscale: not run; set WALLETCORE_SCALE_COINS (e.g. 20000000) and WALLETCORE_SCALE_WORKERS (e.g. 1000000), optionally WALLETCORE_SCALE_STEPS");
            return;
        }

        long workers = Math.Max(1, Read("WALLETCORE_SCALE_WORKERS", Math.Max(1, coins / 20)));
        long[] steps = (Environment.GetEnvironmentVariable("WALLETCORE_SCALE_STEPS") ?? "0")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => long.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture))
            .ToArray();
        var total = Stopwatch.StartNew();
        await using var server = await PostgresServer.StartAsync(durable: true);
        string schema = await server.CreateSchemaAsync("scale");
        bool unified = !string.Equals(Environment.GetEnvironmentVariable("WALLETCORE_SCALE_STORE"), "ledger", StringComparison.OrdinalIgnoreCase);
        await using var database = unified ? await PostgresSchemeDatabase.OpenAsync(schema) : null;
        await using var separate = unified ? null : await PostgresLedgerStore.OpenAsync(schema);
        await using var bulk = NpgsqlDataSource.Create(schema);
        long seconds = Read("WALLETCORE_SCALE_SECONDS", 0);
        var run = new ScaleRun(new SchemeLedger(database?.Ledger ?? separate!, TimeProvider.System), database, report, coins / Math.Max(1, workers))
        {
            Deadline = seconds > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue,
        };
        report.Note($"pgscale: windows of {coins} coins from {workers} workers x {run.PerWorker} coins, deposits of {Batch}, at spent-set sizes {string.Join(", ", steps)}; fsync on; "
            + (unified ? "unified store (PostgresSchemeDatabase: each operation one transaction; withdrawals and deposits append a log leaf in it)" : "ledger store on its own (WALLETCORE_SCALE_STORE=ledger)"));

        long copied = 0;
        foreach (long step in steps)
        {
            if (run.OutOfTime)
            {
                report.Note($"pgscale: out of time (WALLETCORE_SCALE_SECONDS={seconds}) before the step at {step} rows");
                break;
            }

            long rows = step - run.Deposited - copied;
            if (rows > 0)
            {
                var watch = Stopwatch.StartNew();
                await run.EnsurePartitionAsync();
                Copy(bulk, copied, rows);
                copied += rows;
                report.Note(string.Create(CultureInfo.InvariantCulture,
                    $"pgscale: spent set grown to {run.Deposited + copied} rows by COPY ({rows} rows in {watch.Elapsed.TotalSeconds:F0} s, outside the ledger)"));
            }

            await run.WindowAsync(workers, coins, copied);
        }

        report.Line("ledger-scale-total", run.Deposited + copied, "postgres", run.Deposited / run.LedgerTime.TotalSeconds);
        var gc = GC.GetGCMemoryInfo();
        report.Note(string.Create(CultureInfo.InvariantCulture,
            $"pgscale done in {total.Elapsed.TotalSeconds:F0} s: {run.Deposited} coins issued and deposited through the ledger, {run.Operations} ledger operations in {run.LedgerTime.TotalSeconds:F0} s ({run.Operations / run.LedgerTime.TotalSeconds:F0} ops/s); {copied} rows copied; process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB, GC heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB, GC peak committed {gc.TotalCommittedBytes / 1048576.0:F0} MiB, gen2 collections {GC.CollectionCount(2)}"));
    }

    /// <summary>Bulk-loads spent rows for the run's keyset straight into its partition.</summary>
    private static void Copy(NpgsqlDataSource bulk, long first, long rows)
    {
        using var connection = bulk.OpenConnection();
        using (var copy = connection.BeginBinaryImport("COPY spent_coins (coin_id, keyset_id, amount, entry_seq) FROM STDIN (FORMAT BINARY)"))
        {
            byte[] keysetBytes = ScaleRun.Keyset.Bytes.ToArray();
            for (long i = first; i < first + rows; i++)
            {
                copy.StartRow();
                copy.Write(CoinFor("copied", i).Bytes.ToArray(), NpgsqlDbType.Bytea);
                copy.Write(keysetBytes, NpgsqlDbType.Bytea);
                copy.Write(1L, NpgsqlDbType.Bigint);
                copy.Write(1L, NpgsqlDbType.Bigint);
            }

            copy.Complete();
        }

        using var analyze = new NpgsqlCommand("ANALYZE spent_coins", connection);
        analyze.ExecuteNonQuery();
    }

    /// <summary>Coin ids are hashes in the real scheme, so index inserts land at random pages: so here.</summary>
    private static CoinId CoinFor(string space, long n)
    {
        Span<byte> input = stackalloc byte[16];
        System.Text.Encoding.ASCII.GetBytes(space.AsSpan(0, Math.Min(8, space.Length)), input);
        BinaryPrimitives.WriteInt64BigEndian(input[8..], n);
        return new CoinId(SHA256.HashData(input));
    }

    private static long Read(string name, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : fallback;

    /// <summary>
    /// The ledger side of the run: workers, withdrawals and deposits, and their counters; with a database, each operation
    /// in one of its transactions, withdrawals and deposits with a log leaf.
    /// </summary>
    private sealed class ScaleRun(SchemeLedger ledger, PostgresSchemeDatabase? database, QuickReporter report, long perWorker)
    {
        private readonly MerkleLog? _log = database is null ? null : new MerkleLog(database.Log);

        public static readonly KeysetId Keyset = new(SHA256.HashData("scale-keyset"u8));

        private static readonly AccountId Provider = new("scale-provider");

        private readonly List<SpentCoin> _pending = new(Batch);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _nextWorker;
        private long _issued;

        public int PerWorker { get; } = checked((int)Math.Max(1, perWorker));

        public long Deposited { get; private set; }

        public long Operations { get; private set; }

        public TimeSpan LedgerTime { get; private set; }

        public TimeSpan Deadline { get; init; } = TimeSpan.MaxValue;

        public bool OutOfTime => _clock.Elapsed >= Deadline;

        /// <summary>The first deposit creates the keyset's partition, so COPY has somewhere to go.</summary>
        public async Task EnsurePartitionAsync()
        {
            if (_nextWorker == 0)
            {
                await WindowAsync(1, PerWorker, 0);
            }
        }

        /// <summary>Runs <paramref name="coins"/> coins from new workers through withdraw and deposit, reporting each twentieth.</summary>
        public async Task WindowAsync(long workers, long coins, long copied)
        {
            long interval = Math.Max(Batch, coins / 20);
            long nextReport = Deposited + interval;
            long end = Deposited + coins;
            var window = Stopwatch.StartNew();
            var lap = Stopwatch.StartNew();
            long lapCoins = 0;
            long lapOps = 0;
            long windowOps = Operations;
            long windowCoins = Deposited;
            for (long w = 0; w < workers && Deposited < end && !OutOfTime; w++)
            {
                var worker = new AccountId($"w{_nextWorker}");
                Require(await OperationAsync(ct => ledger.ContributeAsync(new IdempotencyKey($"c{_nextWorker}"), ContributionSource.Employer, worker, Amount.FromMinorUnits(PerWorker), ct), logged: false));
                Require(await OperationAsync(ct => ledger.WithdrawAsync(new IdempotencyKey($"w{_nextWorker}"), worker, [.. Enumerable.Repeat(new KeysetAmount(Keyset, Amount.FromMinorUnits(1)), PerWorker)], ct), logged: true));
                _nextWorker++;
                Operations += 2;
                lapOps += 2;
                for (int i = 0; i < PerWorker; i++)
                {
                    _pending.Add(new SpentCoin(CoinFor("ledger", _issued++), Keyset, Amount.FromMinorUnits(1)));
                    if (_pending.Count == Batch)
                    {
                        lapCoins += await FlushAsync();
                        lapOps++;
                    }
                }

                if (Deposited >= nextReport)
                {
                    report.Line("ledger-scale-deposit", Deposited + copied, "postgres", lapCoins / lap.Elapsed.TotalSeconds);
                    report.Note(string.Create(CultureInfo.InvariantCulture,
                        $"pgscale at {Deposited + copied} spent rows: {lapOps / lap.Elapsed.TotalSeconds:F0} ledger operations/s over the interval; working set {Environment.WorkingSet / 1048576.0:F0} MiB"));
                    nextReport += interval;
                    lap.Restart();
                    lapCoins = 0;
                    lapOps = 0;
                }
            }

            if (_pending.Count > 0)
            {
                await FlushAsync();
            }

            LedgerTime += window.Elapsed;
            if (Deposited - windowCoins >= Batch)
            {
                report.Line("ledger-scale-window", Deposited + copied, "postgres", (Deposited - windowCoins) / window.Elapsed.TotalSeconds);
                report.Note(string.Create(CultureInfo.InvariantCulture,
                    $"pgscale window ending at {Deposited + copied} spent rows: {Deposited - windowCoins} coins, {Operations - windowOps} ledger operations in {window.Elapsed.TotalSeconds:F0} s ({(Operations - windowOps) / window.Elapsed.TotalSeconds:F0} ops/s)"));
            }
        }

        private async Task<int> FlushAsync()
        {
            int count = _pending.Count;
            Require(await OperationAsync(ct => ledger.DepositAsync(new IdempotencyKey($"d{Deposited}"), Provider, [.. _pending], ct), logged: true));
            Deposited += count;
            Operations++;
            _pending.Clear();
            return count;
        }

        // The ledger call alone, or, with the database, the call and (if logged) a leaf naming its entry, in one transaction.
        private Task<LedgerResult> OperationAsync(Func<CancellationToken, Task<LedgerResult>> operation, bool logged) =>
            database is null
                ? operation(CancellationToken.None)
                : database.RunAsync(
                    async ct =>
                    {
                        var result = await operation(ct);
                        if (logged && result.Entry is { } entry)
                        {
                            await _log!.AppendAsync(entry.Hash.Bytes.ToArray(), ct);
                        }

                        return result;
                    },
                    CancellationToken.None);

        private static void Require(LedgerResult result)
        {
            if (!result.Succeeded || result.Conflicts.Count != 0)
            {
                throw new InvalidOperationException($"scale run operation refused: {result.Status}");
            }
        }
    }
}
