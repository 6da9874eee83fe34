using System.Diagnostics;
using System.Globalization;

namespace Wallet.Benchmarks.Quick;

/// <summary>Prints quick-mode figures in the one-line format the issues name, and measures rates.</summary>
public sealed class QuickReporter(TextWriter output)
{
    /// <summary>Prints <c>quick &lt;operation&gt; &lt;size&gt; &lt;backend&gt; &lt;ops_per_second&gt;</c>.</summary>
    public void Line(string operation, object size, string backend, double opsPerSecond)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"quick {operation} {size} {backend} {opsPerSecond:F1}"));
        output.Flush();
    }

    /// <summary>Prints a free-form comment line (ratios, settings); starts with <c>#</c> so parsers can skip it.</summary>
    public void Note(string text)
    {
        output.WriteLine("# " + text);
        output.Flush();
    }

    /// <summary>
    /// How long an operation runs before it is timed, unless a caller warms it itself: long enough for the runtime's
    /// tiered compiler to replace the first, unoptimised code (it promotes a method after 30 calls and a 100 ms quiet
    /// period) and for caches and pools to fill. Three calls, the earlier warm-up, left single-figure lines measuring
    /// tier-0 code, which is why they read lower than the same operation in a paired ratio.
    /// </summary>
    /// <remarks>250 ms is two and a half quiet periods; 500 ms, used until the ninth session, gave the same figures
    /// within noise (docs/benchmarks.md) and took 25 s more of the full quick mode.</remarks>
    public static readonly TimeSpan DefaultWarmUp = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs <paramref name="operation"/> (which performs <paramref name="opsPerCall"/> operations per call)
    /// after a warm-up of <paramref name="warmUp"/> (default <see cref="DefaultWarmUp"/>, and at least three calls),
    /// in <paramref name="rounds"/> rounds of at least <paramref name="roundTime"/> each,
    /// and returns the median rate in operations per second.
    /// </summary>
    public static double Measure(Action operation, int opsPerCall = 1, int rounds = 5, TimeSpan? roundTime = null, TimeSpan? warmUp = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        TimeSpan minimum = roundTime ?? TimeSpan.FromMilliseconds(300);
        WarmUp(operation, warmUp ?? DefaultWarmUp);

        var rates = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            long calls = 0;
            var sw = Stopwatch.StartNew();
            do
            {
                operation();
                calls++;
            }
            while (sw.Elapsed < minimum);
            rates[r] = calls * opsPerCall / sw.Elapsed.TotalSeconds;
        }

        Array.Sort(rates);
        return rates[rounds / 2];
    }

    /// <summary>Calls <paramref name="operation"/> at least three times and until <paramref name="duration"/> has passed.</summary>
    public static void WarmUp(Action operation, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var sw = Stopwatch.StartNew();
        for (int calls = 0; calls < 3 || sw.Elapsed < duration; calls++)
        {
            operation();
        }
    }

    /// <summary>
    /// Measures <paramref name="ours"/> and <paramref name="reference"/> in alternating short rounds, so that drift in
    /// the machine's load hits both alike, and returns both median rates and the median of the per-round ratios.
    /// Both are warmed up once (for <paramref name="warmUp"/>, default <see cref="DefaultWarmUp"/>) before the first
    /// round; a caller whose calls consume prepared inputs passes a shorter warm-up.
    /// </summary>
    public static (double Ours, double Reference, double Ratio) MeasurePaired(Action ours, Action reference, int rounds = 7, TimeSpan? roundTime = null, TimeSpan? warmUp = null)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(reference);
        TimeSpan round = roundTime ?? TimeSpan.FromMilliseconds(150);
        var a = new double[rounds];
        var b = new double[rounds];
        var ratios = new double[rounds];
        WarmUp(ours, warmUp ?? DefaultWarmUp);
        WarmUp(reference, warmUp ?? DefaultWarmUp);
        for (int r = 0; r < rounds; r++)
        {
            a[r] = Measure(ours, rounds: 1, roundTime: round, warmUp: TimeSpan.Zero);
            b[r] = Measure(reference, rounds: 1, roundTime: round, warmUp: TimeSpan.Zero);
            ratios[r] = a[r] / b[r];
        }

        Array.Sort(a);
        Array.Sort(b);
        Array.Sort(ratios);
        return (a[rounds / 2], b[rounds / 2], ratios[rounds / 2]);
    }
}
