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
/// verification of the same coins, wallet restore from the seed, and auditor replay. Ratios are measured in
/// alternating rounds (QuickReporter.MeasurePaired).
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

        // scheme-withdraw-64: prepared requests are consumed; the bare reference signs the same blinded messages.
        var pool = new Queue<WithdrawalRequest>(Enumerable.Range(0, 22).Select(_ => world.PrepareWithdrawal(WithdrawCoins)));
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
}
