namespace Wallet.Audit.Tool.Sync;

/// <summary>
/// Every level of the Merkle tree over the mirror's leaves, built once, so the root of any prefix (and of any range
/// aligned as RFC 9162 trees split) costs O(log n) instead of rehashing the leaves for each stored checkpoint.
/// </summary>
/// <remarks>
/// RFC 9162 section 2.1.1: MTH(D[0:n]) = HASH(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])) with k the largest power of two below
/// n; unrolled, the tree of n leaves is its perfect subtrees of sizes the set bits of n, left to right, folded from the
/// right. Level l holds the roots of the aligned perfect subtrees of 2^l leaves.
/// </remarks>
internal sealed class LeafTree
{
    private readonly List<MerkleHash[]> _levels = [];

    public LeafTree(IReadOnlyList<MerkleHash> leaves)
    {
        MerkleHash[] level = [.. leaves];
        _levels.Add(level);
        while (level.Length > 1)
        {
            var next = new MerkleHash[level.Length / 2];
            for (int i = 0; i < next.Length; i++)
            {
                next[i] = MerkleTree.HashChildren(level[2 * i], level[(2 * i) + 1]);
            }

            _levels.Add(next);
            level = next;
        }
    }

    /// <summary>The number of leaves.</summary>
    public int Count => _levels[0].Length;

    /// <summary>The root of the first <paramref name="size"/> leaves.</summary>
    public MerkleHash Root(int size) => Root(0, size);

    /// <summary>The root of <paramref name="count"/> leaves from <paramref name="offset"/>; the range must lie within the leaves.</summary>
    public MerkleHash Root(int offset, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + count, Count);
        if (count == 0)
        {
            return MerkleTree.EmptyRoot;
        }

        var parts = new List<MerkleHash>();
        int position = offset;
        for (int level = 31; level >= 0; level--)
        {
            int width = 1 << level;
            if ((count & width) == 0)
            {
                continue;
            }

            if (position % width != 0 || level >= _levels.Count)
            {
                // Not an aligned perfect subtree: hash the range directly.
                return MerkleTree.ComputeRoot(_levels[0].AsSpan(offset, count));
            }

            parts.Add(_levels[level][position / width]);
            position += width;
        }

        MerkleHash root = parts[^1];
        for (int i = parts.Count - 2; i >= 0; i--)
        {
            root = MerkleTree.HashChildren(parts[i], root);
        }

        return root;
    }
}
