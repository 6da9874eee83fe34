using System.Globalization;

namespace Wallet.Benchmarks.Load;

/// <summary>
/// The whole machine's CPU counters from /proc/stat (Linux), so that a load window can say how busy every core was,
/// PostgreSQL's processes and other work included, which the per-process CPU times do not show.
/// </summary>
internal readonly record struct MachineCpu(long Busy, long Total)
{
    /// <summary>Reads the aggregate "cpu" line; zeros where /proc/stat does not exist.</summary>
    public static MachineCpu Read()
    {
        const string path = "/proc/stat";
        if (!File.Exists(path))
        {
            return default;
        }

        string line = File.ReadLines(path).First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        long[] fields = [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture))];

        // user nice system idle iowait irq softirq steal: idle and iowait are the cores' free time.
        long total = fields.Sum();
        return new MachineCpu(total - fields[3] - fields[4], total);
    }

    /// <summary>The busy share of the machine between <paramref name="start"/> and this reading, 0 to 1; NaN without counters.</summary>
    public double BusySince(MachineCpu start) => Total == start.Total ? double.NaN : (double)(Busy - start.Busy) / (Total - start.Total);
}
