namespace Wallet.Storage.Testing;

/// <summary>Builds logs of deterministic entries on the real in-memory store, for tests and properties.</summary>
internal static class MerkleTestLog
{
    public static byte[] Entry(int seed, long index) => Encoding.UTF8.GetBytes($"entry {seed}/{index}");

    public static MerkleHash LeafHash(int seed, long index) => new(ReferenceMerkleTree.LeafHash(Entry(seed, index)));

    public static ReferenceMerkleTree Reference(int seed) => new(i => Entry(seed, i));

    public static MerkleLog Build(int seed, long size) => Build(seed, size, new InMemoryMerkleLogStore());

    public static MerkleLog Build(int seed, long size, IMerkleLogStore store)
    {
        var log = new MerkleLog(store);
        const int Batch = 1000;
        for (long start = 0; start < size; start += Batch)
        {
            int count = (int)Math.Min(Batch, size - start);
            var leaves = new ReadOnlyMemory<byte>[count];
            for (int i = 0; i < count; i++)
            {
                leaves[i] = Entry(seed, start + i);
            }

            Run(log.AppendRangeAsync(leaves));
        }

        return log;
    }

    /// <summary>
    /// Waits for a store-backed call inside a property (FsCheck properties here are synchronous). The in-memory
    /// store completes synchronously, so this never blocks a thread in practice.
    /// </summary>
    public static T Run<T>(ValueTask<T> task) => task.IsCompleted ? task.Result : task.AsTask().GetAwaiter().GetResult();

    public static MerkleHash Hash(byte[] bytes) => new(bytes);

    public static MerkleHash[] Hashes(List<byte[]> path) => path.ConvertAll(Hash).ToArray();
}
