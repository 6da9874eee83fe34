using System.Collections.Concurrent;

namespace Wallet.Benchmarks.Load;

/// <summary>
/// What one mixed-load window measured: coins the wallets came to hold and coins the providers settled inside the
/// window, failed calls, the CPU time of each server node and of this process over the window, the share of the whole
/// machine that was busy (all processes, read from /proc/stat; NaN where that file does not exist), and the latency of
/// every call that started and ended inside the window, per operation.
/// </summary>
internal sealed record MixedLoadFigures(
    long IssuedCoins,
    long DepositedCoins,
    long Failures,
    IReadOnlyList<TimeSpan> NodeCpu,
    TimeSpan GeneratorCpu,
    double MachineBusy,
    IReadOnlyDictionary<string, ConcurrentBag<double>> Latencies)
{
    /// <summary>How long the window lasted.</summary>
    public required TimeSpan Window { get; init; }

    public double IssuedPerSecond => IssuedCoins / Window.TotalSeconds;

    public double DepositedPerSecond => DepositedCoins / Window.TotalSeconds;

    /// <summary>Methods this process's JIT compiled during the window: a warm generator compiles next to none.</summary>
    public long GeneratorJitMethods { get; init; }

    /// <summary>The time this process's JIT spent compiling during the window.</summary>
    public TimeSpan GeneratorJitTime { get; init; }

    public TimeSpan ServerCpu => NodeCpu.Aggregate(TimeSpan.Zero, (sum, cpu) => sum + cpu);
}
