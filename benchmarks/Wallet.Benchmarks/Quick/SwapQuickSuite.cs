using Wallet.Benchmarks.Protocol;
using Wallet.Protocol;
using Wallet.Protocol.Swaps;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// PB/1 swaps on in-memory stores, RSA-2048 keyset: the wallet preparing a 16-coin swap (seed derivation, 16 blindings,
/// 16 coin-key signatures), the scheme honouring it (16 issuer and spend verifications, one ledger entry, 16 blind
/// signatures, a log entry), and the wallet completing it (16 unblind-and-verify). Rates are coins per second.
/// </summary>
public sealed class SwapQuickSuite : IQuickSuite
{
    private const int Coins = 16;
    private const int Swaps = 8;

    public string Name => "swaps";

    public void Run(QuickReporter report)
    {
        using var world = new ProtocolBenchmarkWorld();
        var round = TimeSpan.FromMilliseconds(100);
        for (int i = 0; i < Swaps * Coins / 64; i++)
        {
            var request = world.PrepareWithdrawal(64);
            var response = world.Scheme.WithdrawAsync(request).GetAwaiter().GetResult().Response ?? throw new InvalidOperationException("withdrawal refused");
            if (world.Wallet.CompleteWithdrawal(request, response) != Wallet.Protocol.Wallets.WithdrawalCompletion.Completed)
            {
                throw new InvalidOperationException("withdrawal did not complete");
            }
        }

        int next = 0;
        var prepared = new Queue<SwapRequest>();
        SwapRequest Prepare() =>
            world.Wallet.PrepareChange(new IdempotencyKey($"swap-{next++}"), Amount.FromMinorUnits(100 * Coins), [world.Keyset.Id]).Request ?? throw new InvalidOperationException("no coins left to swap");

        // Each prepared swap reserves its coins, so the pool bounds the calls: time a fixed number after one warm-up
        // (a time-bounded round would run the pool dry on a fast machine).
        prepared.Enqueue(Prepare());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 1; i < Swaps; i++)
        {
            prepared.Enqueue(Prepare());
        }

        double prepare = (Swaps - 1) * Coins / clock.Elapsed.TotalSeconds;
        report.Line("wallet-prepare-swap-16", Coins, "memory", prepare);

        var answered = new Queue<(SwapRequest, SwapResponse)>();
        void CompleteOne()
        {
            var (sent, response) = answered.Dequeue();
            if (world.Wallet.CompleteSwap(sent, response) != SwapCompletion.Completed)
            {
                throw new InvalidOperationException("swap did not complete");
            }
        }

        double swap = QuickReporter.Measure(
            () =>
            {
                if (prepared.Count == 0)
                {
                    // Pool exhausted (a fast machine): completing an earlier swap frees coins to swap again.
                    CompleteOne();
                    prepared.Enqueue(Prepare());
                }

                var request = prepared.Dequeue();
                var result = world.Scheme.SwapAsync(request).GetAwaiter().GetResult();
                answered.Enqueue((request, result.Response ?? throw new InvalidOperationException(result.Status.ToString())));
            },
            opsPerCall: Coins,
            rounds: 3,
            roundTime: round);
        report.Line("scheme-swap-16", Coins, "memory", swap);

        double complete = QuickReporter.Measure(
            () =>
            {
                if (answered.Count == 0)
                {
                    var request = Prepare();
                    answered.Enqueue((request, world.Scheme.SwapAsync(request).GetAwaiter().GetResult().Response!));
                }

                CompleteOne();
            },
            opsPerCall: Coins,
            rounds: 1,
            roundTime: round);
        report.Line("wallet-complete-swap-16", Coins, "memory", complete);
        report.Note($"swaps: {next} prepared, {world.Wallet.Coins.Count} coins held after");
    }
}
