namespace Wallet.Crypto.Merkle;

/// <summary>
/// The batch rule of <see cref="IMerkleLogStore.TryAppendAsync"/>, for stores to check a batch before they write it:
/// appended to a log of <c>expectedLeafCount</c> leaves, whose level L holds <c>expectedLeafCount &gt;&gt; L</c> nodes,
/// the batch must continue every level in order and leave it at exactly <c>newLeafCount &gt;&gt; L</c> nodes, so that
/// neither a node of an unfinished subtree nor a gap ever gets in.
/// </summary>
public static class MerkleAppendBatch
{
    /// <summary>Checks a batch against the rule; throws without side effects when it breaks it.</summary>
    /// <param name="expectedLeafCount">The leaf count the batch is appended to.</param>
    /// <param name="newLeafCount">The leaf count after it; greater than <paramref name="expectedLeafCount"/>.</param>
    /// <param name="nodes">The batch's nodes, each level's in index order (levels may interleave).</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="newLeafCount"/> adds no leaf, a node does not continue its level, or a level is not completed to
    /// exactly <c>newLeafCount &gt;&gt; L</c> nodes.
    /// </exception>
    public static void Validate(ulong expectedLeafCount, ulong newLeafCount, ReadOnlySpan<MerkleNode> nodes)
    {
        if (newLeafCount <= expectedLeafCount)
        {
            throw new ArgumentException("A batch adds at least one leaf.", nameof(newLeafCount));
        }

        Span<ulong> next = stackalloc ulong[MerkleNodeId.MaxLevels];
        for (int level = 0; level < next.Length; level++)
        {
            next[level] = expectedLeafCount >> level;
        }

        foreach (var node in nodes)
        {
            if (node.Id.Index != next[node.Id.Level])
            {
                throw new ArgumentException($"Node {node.Id} does not continue level {node.Id.Level}.", nameof(nodes));
            }

            next[node.Id.Level]++;
        }

        for (int level = 0; level < next.Length; level++)
        {
            if (next[level] != newLeafCount >> level)
            {
                throw new ArgumentException($"The batch must complete level {level} to exactly {newLeafCount >> level} nodes.", nameof(nodes));
            }
        }
    }
}
