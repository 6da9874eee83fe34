namespace Wallet.Protocol.Flows;

/// <summary>
/// Runs per-coin checks that read no shared mutable state (issuer and spend signature verification) on several cores.
/// Each result lands at its coin's index and callers read them in the request's order, so a deposit or swap answers
/// exactly as the sequential path would, with the same first rejection (docs/PROTOCOL.md 5.5, 5.10).
/// </summary>
internal static class ParallelChecks
{
    /// <summary>
    /// Below this many coins the checks stay on the calling thread: handing work to the thread pool costs a few
    /// microseconds per batch, about one Ed25519 verification, and a small batch gains less than that
    /// (measured in docs/benchmarks.md, "Swaps outside the gate, parallel verification").
    /// </summary>
    public const int DefaultParallelFrom = 8;

    /// <summary>Computes <paramref name="check"/> for every index below <paramref name="count"/>.</summary>
    /// <param name="count">How many coins.</param>
    /// <param name="parallelism">At most this many cores; 1 runs sequentially.</param>
    /// <param name="parallelFrom">Fewer coins than this run sequentially.</param>
    /// <param name="check">The check of one coin; must not touch shared mutable state.</param>
    /// <returns>The results, by index.</returns>
    public static T[] Run<T>(int count, int parallelism, int parallelFrom, Func<int, T> check)
    {
        var results = new T[count];
        if (parallelism <= 1 || count < Math.Max(2, parallelFrom))
        {
            for (int i = 0; i < count; i++)
            {
                results[i] = check(i);
            }

            return results;
        }

        // One contiguous range per core: the checks cost about the same, so static partitions balance, and the
        // calling thread takes a share instead of waiting idle.
        int parts = Math.Min(parallelism, count);
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int from = (int)((long)count * part / parts), to = (int)((long)count * (part + 1) / parts);
            for (int i = from; i < to; i++)
            {
                results[i] = check(i);
            }
        });
        return results;
    }
}
