using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Wallet.Benchmarks.Ledger;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// The sharded-journal study of docs/scaling.md: one hash-chained journal against two journals that split the
/// workers by account, under the same concurrent mix of contributions, withdrawals and deposits, with a global
/// checkpoint that commits to every shard's head (what the transparency log would sign) taken every 50 ms.
/// Each shard is a <see cref="SchemeLedger"/> on its own SQLite file (WAL, synchronous=FULL), so a shard is one
/// writer and one fsync stream, as a PostgreSQL primary per shard would be. Rounds of one and two shards alternate
/// and the ratio is the median of adjacent pairs.
/// </summary>
/// <remarks>
/// The mix follows the national arithmetic in docs/scaling.md: two contributions and two withdrawals of 20 coins
/// for every deposit of a 10-coin batch. A withdrawal debits the worker's account on the worker's shard and credits
/// that shard's keyset, so no operation spans shards; deposits go to the shard whose keyset signed the coins.
/// </remarks>
public sealed class ShardQuickSuite : IQuickSuite
{
    private const int Clients = 8;
    private const int Rounds = 5;
    private static readonly TimeSpan RoundTime = TimeSpan.FromMilliseconds(1000);

    /// <inheritdoc/>
    public string Name => "shards";

    /// <inheritdoc/>
    public void Run(QuickReporter report) => RunAsync(report).GetAwaiter().GetResult();

    private static async Task RunAsync(QuickReporter report)
    {
        var directory = Directory.CreateTempSubdirectory("walletcore-shard-bench-");
        try
        {
            report.Note($"shards: {Clients} concurrent clients, mix 2 contributions : 2 withdrawals (20 coins) : 1 deposit (10 coins), global checkpoint every 50 ms; each shard one SQLite journal (WAL, synchronous=FULL)");
            await using var one = await ShardSet.OpenAsync(Path.Combine(directory.FullName, "one"), 1);
            await using var two = await ShardSet.OpenAsync(Path.Combine(directory.FullName, "two"), 2);

            // Warm both sets (JIT, page cache, the first fsyncs) before any round counts.
            await one.RunAsync(TimeSpan.FromMilliseconds(500));
            await two.RunAsync(TimeSpan.FromMilliseconds(500));

            var oneRates = new List<double>();
            var twoRates = new List<double>();
            var oneCores = new List<double>();
            var twoCores = new List<double>();
            var ratios = new List<double>();
            for (int round = 0; round < Rounds; round++)
            {
                var (a, aCores) = await one.RunAsync(RoundTime);
                var (b, bCores) = await two.RunAsync(RoundTime);
                oneRates.Add(a);
                twoRates.Add(b);
                oneCores.Add(aCores);
                twoCores.Add(bCores);
                ratios.Add(b / a);
            }

            report.Line("ledger-mix-1-shard", await one.TotalEntriesAsync(), "sqlite", Median(oneRates));
            report.Line("ledger-mix-2-shards", await two.TotalEntriesAsync(), "sqlite", Median(twoRates));
            await one.VerifyAsync();
            await two.VerifyAsync();
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"ratio shards 2 / 1 = {Median(ratios):F2} (median of {Rounds} adjacent pairs, min {ratios.Min():F2}, max {ratios.Max():F2}); operations/s with every shard verified and {one.Checkpoints + two.Checkpoints} global checkpoints taken; cores busy in this process (median) 1 shard {Median(oneCores):F2}, 2 shards {Median(twoCores):F2} of {Environment.ProcessorCount}; CPU per operation 1 shard {Median(oneCores) / Median(oneRates) * 1e6:F0} us, 2 shards {Median(twoCores) / Median(twoRates) * 1e6:F0} us"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>N journals, each with its own keyset, and the clients that drive them.</summary>
    private sealed class ShardSet : IAsyncDisposable
    {
        private const long Float = 1_000_000_000;
        private readonly SqliteLedgerStore[] _stores;
        private readonly SchemeLedger[] _ledgers;
        private readonly KeysetId[] _keysets;
        private long _nextCoin;
        private long _nextOp;

        private ShardSet(SqliteLedgerStore[] stores)
        {
            _stores = stores;
            _ledgers = [.. stores.Select(s => new SchemeLedger(s, TimeProvider.System))];
            _keysets = [.. Enumerable.Range(0, stores.Length).Select(KeysetFor)];
        }

        public long Checkpoints { get; private set; }

        public static async Task<ShardSet> OpenAsync(string directory, int shards)
        {
            Directory.CreateDirectory(directory);
            var stores = new SqliteLedgerStore[shards];
            for (int i = 0; i < shards; i++)
            {
                stores[i] = await SqliteLedgerStore.OpenAsync(Path.Combine(directory, $"shard-{i}.db"));
            }

            var set = new ShardSet(stores);
            for (int i = 0; i < shards; i++)
            {
                // Each shard's keyset starts with a float of outstanding coins, so deposits never run dry.
                var ledger = set._ledgers[i];
                await ledger.ContributeAsync(new IdempotencyKey("float-c"), ContributionSource.State, LedgerBenchmarkData.Worker, Amount.FromMinorUnits(Float));
                await ledger.WithdrawAsync(new IdempotencyKey("float-w"), LedgerBenchmarkData.Worker, [new KeysetAmount(set._keysets[i], Amount.FromMinorUnits(Float))]);
            }

            return set;
        }

        /// <summary>Runs the clients and the checkpointer for a fixed time; returns ledger operations per second and the cores this process kept busy.</summary>
        public async Task<(double OpsPerSecond, double CoresBusy)> RunAsync(TimeSpan duration)
        {
            using var stop = new CancellationTokenSource();
            long done = 0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await OneOperationAsync(Interlocked.Increment(ref _nextOp));
                    Interlocked.Increment(ref done);
                }
            })).ToList();
            var checkpointer = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await CheckpointAsync();
                    try
                    {
                        await Task.Delay(50, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            });

            await Task.Delay(duration);
            stop.Cancel();
            await Task.WhenAll(clients);
            await checkpointer;
            watch.Stop();
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            return (done / watch.Elapsed.TotalSeconds, used / watch.Elapsed);
        }

        public async Task<long> TotalEntriesAsync()
        {
            long total = 0;
            foreach (var ledger in _ledgers)
            {
                total += (await ledger.GetHeadAsync()).Sequence;
            }

            return total;
        }

        public async Task VerifyAsync()
        {
            foreach (var ledger in _ledgers)
            {
                var verification = await ledger.VerifyAsync();
                if (!verification.IsValid)
                {
                    throw new InvalidOperationException(verification.Problems[0]);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var store in _stores)
            {
                await store.DisposeAsync();
            }
        }

        private static KeysetId KeysetFor(int shard)
        {
            var bytes = new byte[32];
            bytes[0] = 0x5A;
            bytes[1] = (byte)shard;
            return new KeysetId(bytes);
        }

        private async Task OneOperationAsync(long op)
        {
            // Workers are assigned to shards by account; the worker of an operation is drawn from a large population.
            long workerNumber = op % 100_003;
            var worker = new AccountId(string.Create(CultureInfo.InvariantCulture, $"w{workerNumber}"));
            int shard = ShardOf(worker);
            var ledger = _ledgers[shard];
            var key = new IdempotencyKey(string.Create(CultureInfo.InvariantCulture, $"op{op}"));
            LedgerResult result;
            switch (op % 5)
            {
                case 0 or 2:
                    result = await ledger.ContributeAsync(key, ContributionSource.Employer, worker, Amount.FromMinorUnits(20));
                    break;
                case 1 or 3:
                    // Twenty 1-unit coins, as the national arithmetic assumes; refused (and still counted as an operation
                    // of the ledger) only when a worker's contribution has not landed yet.
                    result = await ledger.WithdrawAsync(key, worker, [new KeysetAmount(_keysets[shard], Amount.FromMinorUnits(20))]);
                    break;
                default:
                    long first = Interlocked.Add(ref _nextCoin, 10) - 10;
                    var coins = LedgerBenchmarkData.Batch(first, 10).Select(c => new SpentCoin(c.Coin, _keysets[shard], c.Value)).ToArray();
                    result = await ledger.DepositAsync(key, LedgerBenchmarkData.Provider, coins);
                    break;
            }

            if (!result.Succeeded && result.Status != LedgerStatus.InsufficientFunds)
            {
                throw new InvalidOperationException($"shard {shard}: {result.Status}");
            }
        }

        private int ShardOf(AccountId worker)
        {
            if (_ledgers.Length == 1)
            {
                return 0;
            }

            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(worker.Value), digest);
            return (int)(BinaryPrimitives.ReadUInt32BigEndian(digest) % (uint)_ledgers.Length);
        }

        /// <summary>The global checkpoint: one hash over every shard's (sequence, head hash), as the log would sign it.</summary>
        private async Task CheckpointAsync()
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var sequence = new byte[8];
            foreach (var ledger in _ledgers)
            {
                var head = await ledger.GetHeadAsync();
                BinaryPrimitives.WriteInt64BigEndian(sequence, head.Sequence);
                hash.AppendData(sequence);
                hash.AppendData(head.Hash.Bytes);
            }

            _ = hash.GetHashAndReset();
            Checkpoints++;
        }
    }
}
