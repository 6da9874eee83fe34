using System.Globalization;
using Wallet.Benchmarks.Protocol;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// PB/1 roles on in-memory stores, RSA-2048 keyset: scheme withdrawals of 64 coins against the bare blind-sign rate
/// of the same messages, offline provider verification, 100-coin deposit batches against the bare RSA + Ed25519
/// verification of the same coins, the same deposits verifying on every core against one (deposit-cores, issue 21),
/// wallet restore from the seed, and auditor replay. Ratios are measured in alternating rounds
/// (QuickReporter.MeasurePaired, or batch by batch where every call consumes fresh coins).
/// </summary>
public sealed class ProtocolQuickSuite : IQuickSuite
{
    private const int WithdrawCoins = 64;
    private const int DepositBatch = 100;

    public string Name => "protocol";

    public void Run(QuickReporter report)
    {
        using var world = new ProtocolBenchmarkWorld();
        var round = TimeSpan.FromMilliseconds(100);

        // scheme-withdraw-64: prepared requests are consumed; the bare reference signs the same blinded messages. The
        // pool covers the half-second warm-up (QuickReporter.DefaultWarmUp) and the four rounds at about 3,000 signatures
        // a second, 64 to a call: some 45 calls, so 72 leaves a margin.
        var pool = new Queue<WithdrawalRequest>(Enumerable.Range(0, 72).Select(_ => world.PrepareWithdrawal(WithdrawCoins)));
        var issued = new List<(WithdrawalRequest, WithdrawalResponse)>();
        var signer = new BlindRsaSigner(world.RsaKey);
        var sample = pool.Peek().Items.Select(i => i.BlindedMessage).ToArray();
        var (withdraw, bareSign, withdrawRatio) = QuickReporter.MeasurePaired(
            () =>
            {
                // Falls back to preparing inline only if the warm-up consumed the pool (then the ratio is pessimistic).
                var request = pool.Count > 0 ? pool.Dequeue() : world.PrepareWithdrawal(WithdrawCoins);
                var result = world.Scheme.WithdrawAsync(request).GetAwaiter().GetResult();
                issued.Add((request, result.Response ?? throw new InvalidOperationException(result.Status.ToString())));
            },
            () =>
            {
                foreach (var m in sample)
                {
                    _ = signer.BlindSign(m);
                }
            },
            rounds: 4,
            roundTime: round);
        report.Note($"scheme-withdraw-64 calls: {issued.Count} (prepared pool left: {pool.Count})");
        report.Line("scheme-withdraw-64", WithdrawCoins, "memory", withdraw * WithdrawCoins);
        report.Line("bare-blind-sign-64", WithdrawCoins, "memory", bareSign * WithdrawCoins);
        report.Note(string.Create(CultureInfo.InvariantCulture, $"scheme-withdraw / bare blind-sign = {withdrawRatio:F2} (target >= 0.80)"));

        foreach (var (request, response) in issued)
        {
            if (world.Wallet.CompleteWithdrawal(request, response) != WithdrawalCompletion.Completed)
            {
                throw new InvalidOperationException("withdrawal did not complete");
            }
        }

        var coins = world.Wallet.Coins;
        report.Note($"protocol coins withdrawn for the deposit runs: {coins.Count}");

        // provider-verify: one 100-coin payment per call (the same coins re-signed over fresh requests).
        var verifyCoins = coins.Take(DepositBatch).ToList();
        var verifyPayments = new Queue<(Wallet.Protocol.Payments.PaymentRequest, List<CoinSpend>)>(Enumerable.Range(0, 6).SelectMany(_ => world.Payments(verifyCoins, DepositBatch)));
        double verify = QuickReporter.Measure(
            () =>
            {
                var (request, spends) = verifyPayments.Count > 0 ? verifyPayments.Dequeue() : world.Payments(verifyCoins, DepositBatch)[0];
                // The in-memory provider store answers synchronously: the measured work is the offline verification.
                if (world.Provider.VerifyPaymentAsync(request, spends, [world.Keyset]).GetAwaiter().GetResult() != PaymentVerification.Accepted)
                {
                    throw new InvalidOperationException("payment refused");
                }
            },
            opsPerCall: DepositBatch,
            rounds: 5,
            roundTime: round);
        report.Line("provider-verify", DepositBatch, "memory", verify);

        // scheme-deposit-batch100 against bare RSA + Ed25519 verification of the same coins.
        var depositCoins = coins.Skip(DepositBatch).Take(6 * DepositBatch).ToList();
        var batches = new Queue<DepositRequest>(world.Payments(depositCoins, DepositBatch)
            .Where(p => p.Spends.Count == DepositBatch)
            .Select((p, i) => new DepositRequest(world.Provider.Record.Id, new IdempotencyKey($"d{i}"), p.Spends)));
        using var rsaPublic = world.Keyset.ImportPublicKey();
        var verifier = new BlindRsaVerifier(world.Keyset.Algorithm, rsaPublic);
        void Bare(DepositRequest batch)
        {
            foreach (var spend in batch.Spends)
            {
                if (!verifier.Verify(Coin.BuildMessage(spend.Coin.Keyset, spend.Coin.Id), spend.Coin.IssuerSignature) || !spend.VerifySpendSignature())
                {
                    throw new InvalidOperationException("bare verify failed");
                }
            }
        }

        // Every batch is fresh coins (a deposited coin cannot be deposited again), so pair call by call rather than by
        // time: each pair deposits one batch and bare-verifies that same batch, alternating which runs first.
        var depositTimes = new List<double>();
        var bareTimes = new List<double>();
        Bare(batches.Peek());
        for (int i = 0; batches.Count > 0; i++)
        {
            var batch = batches.Dequeue();
            double Time(Action action)
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                action();
                return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            double bare = 0, ours = 0;
            if (i % 2 == 0)
            {
                bare = Time(() => Bare(batch));
            }

            ours = Time(() =>
            {
                var result = world.Scheme.DepositAsync(batch).GetAwaiter().GetResult();
                if (result.Status != DepositStatus.Accepted)
                {
                    throw new InvalidOperationException(result.Status.ToString());
                }
            });
            if (i % 2 == 1)
            {
                bare = Time(() => Bare(batch));
            }

            if (i > 0)
            {
                depositTimes.Add(ours);
                bareTimes.Add(bare);
            }
        }

        double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }

        double deposit = 1 / Median(depositTimes);
        double bareVerify = 1 / Median(bareTimes);
        double depositRatio = Median(depositTimes.Zip(bareTimes, (o, b) => b / o));
        report.Line("scheme-deposit-batch100", DepositBatch, "memory", deposit * DepositBatch);
        report.Line("bare-coin-verify", DepositBatch, "memory", bareVerify * DepositBatch);
        report.Note(string.Create(CultureInfo.InvariantCulture, $"scheme-deposit / bare verify = {depositRatio:F2} (target >= 0.60)"));

        DepositCores(report, world, coins.Skip(7 * DepositBatch).ToList(), verifier, batches: Median);

        // wallet-restore: a fresh device re-derives 256 coins and fetches their stored signatures.
        const int restoreCount = 64;
        double restore = QuickReporter.Measure(
            () =>
            {
                var wallet = world.NewWallet();
                var messages = wallet.PrepareRestore(world.Keyset.Id, 0, restoreCount);
                var found = world.Scheme.FindBlindSignaturesAsync(messages).GetAwaiter().GetResult();
                if (wallet.CompleteRestore(world.Keyset.Id, 0, found) != restoreCount)
                {
                    throw new InvalidOperationException("restore incomplete");
                }
            },
            opsPerCall: restoreCount,
            rounds: 3,
            roundTime: round);
        report.Line("wallet-restore", restoreCount, "memory", restore);

        // auditor-replay over everything the runs above logged.
        var entries = world.LogEntries();
        var head = world.Scheme.GetTreeHeadAsync().GetAwaiter().GetResult();
        var auditor = new LogAuditor(world.Scheme.PublicKey, world.AccreditationKey.PublicKey);
        double audit = QuickReporter.Measure(
            () =>
            {
                if (!auditor.Audit(entries, [head]).IsClean)
                {
                    throw new InvalidOperationException("audit found violations");
                }
            },
            opsPerCall: entries.Count,
            rounds: 3,
            roundTime: round);
        report.Line("auditor-replay", entries.Count, "memory", audit);
        report.Note($"auditor-replay log: {entries.Count} entries holding {entries.Sum(e => e.SpentCoins?.Coins.Length ?? 0)} spent coins (one RSA verification each)");
    }

    // deposit-cores (issue 21): scheme-deposit-batch100 verifying on every core against the same forced onto one, batch
    // by batch (each batch is fresh coins), alternating which runs first; then where parallel verification starts to
    // pay, on the same spends verified again and again.
    private static void DepositCores(QuickReporter report, ProtocolBenchmarkWorld world, List<WalletCoin> spare, BlindRsaVerifier verifier, Func<IEnumerable<double>, double> batches)
    {
        // Each sample is one 100-coin deposit (about 10 ms): with 5 samples one GC pause or a late thread-pool wake-up
        // moved the median from 1.8 to 1.1; 12 pairs, the first two warming both paths, give a median of 10.
        const int pairs = 12, warming = 2;
        while (spare.Count < 2 * pairs * DepositBatch)
        {
            var known = world.Wallet.Coins.Select(c => c.Coin.Id).ToHashSet();
            var request = world.PrepareWithdrawal(64);
            var response = world.Scheme.WithdrawAsync(request).GetAwaiter().GetResult().Response ?? throw new InvalidOperationException("withdrawal refused");
            if (world.Wallet.CompleteWithdrawal(request, response) != WithdrawalCompletion.Completed)
            {
                throw new InvalidOperationException("withdrawal did not complete");
            }

            spare.AddRange(world.Wallet.Coins.Where(c => !known.Contains(c.Coin.Id)));
        }

        var queue = new Queue<DepositRequest>(world.Payments(spare.Take(2 * pairs * DepositBatch).ToList(), DepositBatch)
            .Select((p, i) => new DepositRequest(world.Provider.Record.Id, new IdempotencyKey($"cores-{i}"), p.Spends)));
        int cores = Environment.ProcessorCount;
        double Deposit(int parallelism)
        {
            world.Scheme.VerificationParallelism = parallelism;
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = world.Scheme.DepositAsync(queue.Dequeue()).GetAwaiter().GetResult();
            double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
            return result.Status == DepositStatus.Accepted ? seconds : throw new InvalidOperationException(result.Status.ToString());
        }

        var parallel = new List<double>();
        var single = new List<double>();
        for (int i = 0; i < pairs; i++)
        {
            double p, one;
            if (i % 2 == 0)
            {
                p = Deposit(cores);
                one = Deposit(1);
            }
            else
            {
                one = Deposit(1);
                p = Deposit(cores);
            }

            // The first pairs warm both paths.
            if (i >= warming)
            {
                parallel.Add(p);
                single.Add(one);
            }
        }

        world.Scheme.VerificationParallelism = cores;
        var ratios = parallel.Zip(single, (p, one) => one / p).ToList();
        double ratio = batches(ratios);
        report.Line($"scheme-deposit-batch100-{cores}cores", DepositBatch, "memory", DepositBatch / batches(parallel));
        report.Line("scheme-deposit-batch100-1core", DepositBatch, "memory", DepositBatch / batches(single));
        report.Note(string.Create(CultureInfo.InvariantCulture, $"ratio deposit-cores {cores} cores / 1 core = {ratio:F2} (median of {parallel.Count} alternating pairs of batches, min {ratios.Min():F2}, max {ratios.Max():F2}; target >= 1.6 on 2 cores)"));

        // Where the parallel path starts to pay: k spends verified (issuer and spend signatures) on every core against one.
        var spends = world.Payments(spare.Take(32).ToList(), 32)[0].Spends;
        bool Check(int i) => verifier.Verify(Coin.BuildMessage(spends[i].Coin.Keyset, spends[i].Coin.Id), spends[i].Coin.IssuerSignature) && spends[i].VerifySpendSignature();
        var line = new System.Text.StringBuilder("parallel-verify speed-up by batch size (every core / one, median of 3 alternating rounds):");
        foreach (int k in new[] { 2, 4, 8, 16, 32 })
        {
            var (_, _, speedUp) = QuickReporter.MeasurePaired(
                () => Wallet.Protocol.Flows.ParallelChecks.Run(k, cores, 1, Check),
                () => Wallet.Protocol.Flows.ParallelChecks.Run(k, 1, 1, Check),
                rounds: 3,
                roundTime: TimeSpan.FromMilliseconds(40),
                warmUp: TimeSpan.FromMilliseconds(60));
            line.Append(CultureInfo.InvariantCulture, $" {k}: {speedUp:F2}x;");
        }

        report.Note(line.ToString().TrimEnd(';'));
    }
}
