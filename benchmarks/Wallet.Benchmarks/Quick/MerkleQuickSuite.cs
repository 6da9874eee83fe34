using System.Diagnostics;
using System.Globalization;
using Wallet.Crypto.Merkle;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// Throughput of the RFC 9162 Merkle log on the in-memory store: appends, and proofs out of a log of a
/// million entries (built once in setup; proofs read O(log n) stored nodes, so the size barely matters).
/// </summary>
public sealed class MerkleQuickSuite : IQuickSuite
{
    private const int LargeSize = 1_000_000;
    private const int ProofSamples = 1024;

    public string Name => "merkle";

    public void Run(QuickReporter report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var roundTime = TimeSpan.FromMilliseconds(120);

        var single = new MerkleLog(new InMemoryMerkleLogStore());
        byte[] entry = new byte[64];
        report.Line("merkle-append", 1, "memory", QuickReporter.Measure(
            () => Wait(single.AppendAsync(entry)), roundTime: roundTime));

        var batched = new MerkleLog(new InMemoryMerkleLogStore());
        ReadOnlyMemory<byte>[] batch = Entries(0, 1000);
        report.Line("merkle-append", batch.Length, "memory", QuickReporter.Measure(
            () => Wait(batched.AppendRangeAsync(batch)), opsPerCall: batch.Length, roundTime: roundTime));

        var setup = Stopwatch.StartNew();
        var log = new MerkleLog(new InMemoryMerkleLogStore());
        for (int start = 0; start < LargeSize; start += 10_000)
        {
            Wait(log.AppendRangeAsync(Entries(start, 10_000)));
        }

        MerkleHash root = Wait(log.GetRootAsync(LargeSize));
        report.Note(string.Create(CultureInfo.InvariantCulture, $"built a {LargeSize}-entry in-memory log in {setup.Elapsed.TotalSeconds:F1} s"));

        var random = new Random(9162);
        ulong[] indices = new ulong[ProofSamples];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = (ulong)random.Next(LargeSize);
        }

        int next = 0;
        report.Line("merkle-inclusion-proof", LargeSize, "memory", QuickReporter.Measure(
            () => Wait(log.GetInclusionProofAsync(indices[next++ % ProofSamples], LargeSize)), roundTime: roundTime));

        var proofs = new InclusionProof[ProofSamples];
        var leafHashes = new MerkleHash[ProofSamples];
        for (int i = 0; i < ProofSamples; i++)
        {
            proofs[i] = Wait(log.GetInclusionProofAsync(indices[i], LargeSize));
            leafHashes[i] = MerkleTree.HashLeaf(Entry((long)indices[i]));
        }

        report.Line("merkle-verify-inclusion", LargeSize, "memory", QuickReporter.Measure(
            () =>
            {
                int i = next++ % ProofSamples;
                if (!proofs[i].Verify(leafHashes[i], root))
                {
                    throw new InvalidOperationException("A proof from the log failed to verify.");
                }
            },
            roundTime: roundTime));

        report.Line("merkle-consistency-proof", LargeSize, "memory", QuickReporter.Measure(
            () => Wait(log.GetConsistencyProofAsync(1 + indices[next++ % ProofSamples], LargeSize)), roundTime: roundTime));

        report.Line("merkle-root", LargeSize, "memory", QuickReporter.Measure(
            () => Wait(log.GetRootAsync(LargeSize - indices[next++ % ProofSamples])), roundTime: roundTime));
    }

    private static byte[] Entry(long index) => BitConverter.GetBytes(index);

    private static ReadOnlyMemory<byte>[] Entries(long start, int count)
    {
        var entries = new ReadOnlyMemory<byte>[count];
        for (int i = 0; i < count; i++)
        {
            entries[i] = Entry(start + i);
        }

        return entries;
    }

    // The in-memory store completes synchronously; this only unwraps the ValueTask.
    private static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
}
