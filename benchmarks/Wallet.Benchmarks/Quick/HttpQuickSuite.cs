using System.Diagnostics;
using System.Globalization;
using Wallet.Benchmarks.Http;
using Wallet.Benchmarks.Protocol;
using Wallet.Protocol;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// PB/1 over HTTP on loopback (Kestrel, 127.0.0.1) against the same scheme called in process, one RSA-2048 keyset on
/// in-memory stores: 64-coin withdrawals and 100-coin deposit batches. Every request is fresh (a withdrawal or
/// deposit cannot be replayed for a new measurement), so the two transports are paired call by call, alternating
/// which goes first; with so few calls the rates and the ratio come from the summed times, not medians.
/// </summary>
public sealed class HttpQuickSuite : IQuickSuite
{
    private const int WithdrawCoins = 64;
    private const int DepositBatch = 100;
    // Sized for the quick-mode budget (about 5 s on 2 busy cores): every deposited coin must first be withdrawn.
    private const int WithdrawPairs = 3;
    private const int DepositPairs = 1;
    private const int WarmCoins = 4;

    public string Name => "http";

    public void Run(QuickReporter report)
    {
        using var world = new ProtocolBenchmarkWorld();
        using var server = LoopbackSchemeServer.Start(world.Scheme);
        ISchemeClient loopback = server.Client;
        ISchemeClient inProcess = world.Scheme;

        // Warm both paths (JIT, connection) with small requests before anything is timed.
        var started = Stopwatch.StartNew();
        Complete(world, world.PrepareWithdrawal(WarmCoins), loopback);
        Complete(world, world.PrepareWithdrawal(WarmCoins), inProcess);

        var requests = new Queue<WithdrawalRequest>(Enumerable.Range(0, 2 * WithdrawPairs).Select(_ => world.PrepareWithdrawal(WithdrawCoins)));
        var (http, local, ratio) = Paired(WithdrawPairs, i => Complete(world, requests.Dequeue(), i == 0 ? loopback : inProcess));
        report.Line("http-withdraw-64", WithdrawCoins, "loopback", WithdrawCoins / http);
        report.Line("http-withdraw-64", WithdrawCoins, "in-process", WithdrawCoins / local);
        report.Note(string.Create(CultureInfo.InvariantCulture, $"http-withdraw-64 loopback / in-process = {ratio:F2} (target >= 0.70)"));

        var coins = world.Wallet.Coins;
        var warm = world.Payments([.. coins.Take(2 * WarmCoins)], WarmCoins);
        Deposit(new DepositRequest(world.Provider.Record.Id, new IdempotencyKey("hw0"), warm[0].Spends), loopback);
        Deposit(new DepositRequest(world.Provider.Record.Id, new IdempotencyKey("hw1"), warm[1].Spends), inProcess);
        var batches = new Queue<DepositRequest>(world.Payments([.. coins.Skip(2 * WarmCoins)], DepositBatch)
            .Where(p => p.Spends.Count == DepositBatch)
            .Take(2 * DepositPairs)
            .Select((p, i) => new DepositRequest(world.Provider.Record.Id, new IdempotencyKey($"hd{i}"), p.Spends)));
        int depositPairs = batches.Count / 2;
        var (httpDeposit, localDeposit, depositRatio) = Paired(depositPairs, i => Deposit(batches.Dequeue(), i == 0 ? loopback : inProcess));
        report.Line("http-deposit-batch100", DepositBatch, "loopback", DepositBatch / httpDeposit);
        report.Line("http-deposit-batch100", DepositBatch, "in-process", DepositBatch / localDeposit);
        report.Note(string.Create(CultureInfo.InvariantCulture, $"http-deposit-batch100 loopback / in-process = {depositRatio:F2} over {depositPairs} pair(s) (target >= 0.70)"));
        report.Note(string.Create(CultureInfo.InvariantCulture, $"http suite took {started.Elapsed.TotalSeconds:F1} s after set-up"));
    }

    private static void Complete(ProtocolBenchmarkWorld world, WithdrawalRequest request, ISchemeClient client)
    {
        var result = client.WithdrawAsync(request).GetAwaiter().GetResult();
        if (result.Response is null || world.Wallet.CompleteWithdrawal(request, result.Response) != WithdrawalCompletion.Completed)
        {
            throw new InvalidOperationException($"withdrawal failed: {result.Status}");
        }
    }

    private static void Deposit(DepositRequest batch, ISchemeClient client)
    {
        var result = client.DepositAsync(batch).GetAwaiter().GetResult();
        if (result.Status != DepositStatus.Accepted)
        {
            throw new InvalidOperationException(result.Status.ToString());
        }
    }

    /// <summary>Runs <paramref name="pairs"/> pairs of (transport 0, transport 1), alternating the order; returns mean seconds per call of each and the ratio of their rates (first / second).</summary>
    private static (double First, double Second, double Ratio) Paired(int pairs, Action<int> call)
    {
        var total = new double[2];
        for (int p = 0; p < pairs; p++)
        {
            foreach (int which in p % 2 == 0 ? new[] { 0, 1 } : [1, 0])
            {
                long start = Stopwatch.GetTimestamp();
                call(which);
                total[which] += Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }

        return (total[0] / pairs, total[1] / pairs, total[1] / total[0]);
    }
}
