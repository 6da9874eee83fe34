using System.Collections.Concurrent;
using System.Globalization;
using Wallet.Benchmarks.Quick;
using Wallet.Protocol;

namespace Wallet.Benchmarks.Load;

/// <summary>
/// The shape of issue 21's mixed load, shared by the suites that run it (<see cref="MixedLoadQuickSuite"/> on one
/// SQLite server, <see cref="NodesQuickSuite"/> on one and two PostgreSQL nodes): how many parties, what a wallet cycle
/// does, and how long the SQLite suite warms up.
/// </summary>
internal static class MixedLoad
{
    public const int Wallets = 16;
    public const int Providers = 4;
    public const int WithdrawCoins = 8;
    public const int PayCoins = 3;
    public const int SwapCoins = 2;
    public const int IssuedPerCycle = WithdrawCoins + SwapCoins;
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(7);
    public static readonly Amount Denomination = Amount.FromMinorUnits(100);

    /// <summary>The operations whose latencies are recorded, in report order.</summary>
    public static readonly string[] Operations = ["deposit", "pay", "swap", "withdraw"];

    public static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>One note per operation: calls, p50 and p99 in milliseconds, prefixed by <paramref name="label"/>.</summary>
    public static void ReportLatencies(QuickReporter report, string label, IReadOnlyDictionary<string, ConcurrentBag<double>> latencies)
    {
        foreach (var (operation, values) in latencies.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var sorted = values.Order().ToArray();
            report.Note(string.Create(CultureInfo.InvariantCulture, $"{label} {operation}: {sorted.Length} calls, p50 {Percentile(sorted, 0.50):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms"));
        }
    }
}
