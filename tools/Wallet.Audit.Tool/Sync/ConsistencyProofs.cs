namespace Wallet.Audit.Tool.Sync;

/// <summary>Consistency proofs computed from the mirror's own leaf hashes (RFC 9162 section 2.1.4.1, PROOF and SUBPROOF).</summary>
internal static class ConsistencyProofs
{
    /// <summary>The proof that the tree of the first <paramref name="oldSize"/> leaves is a prefix of the tree of all <paramref name="leaves"/>.</summary>
    public static ConsistencyProof Compute(IReadOnlyList<MerkleHash> leaves, ulong oldSize) =>
        Compute(new LeafTree(leaves), leaves.Count, oldSize);

    /// <summary>The proof from the first <paramref name="oldSize"/> leaves of <paramref name="tree"/> to its first <paramref name="newSize"/>.</summary>
    public static ConsistencyProof Compute(LeafTree tree, int newSize, ulong oldSize)
    {
        ArgumentOutOfRangeException.ThrowIfZero(oldSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldSize, (ulong)newSize);
        var path = new List<MerkleHash>();
        SubProof(tree, (int)oldSize, 0, newSize, true, path);
        return new ConsistencyProof(oldSize, (ulong)newSize, [.. path]);
    }

    // The slices SUBPROOF visits start at multiples of a power of two at least their length, so each root is O(log n).
    private static void SubProof(LeafTree tree, int m, int offset, int n, bool complete, List<MerkleHash> path)
    {
        if (m == n)
        {
            if (!complete)
            {
                path.Add(tree.Root(offset, n));
            }

            return;
        }

        int k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        if (m <= k)
        {
            SubProof(tree, m, offset, k, complete, path);
            path.Add(tree.Root(offset + k, n - k));
        }
        else
        {
            SubProof(tree, m - k, offset + k, n - k, false, path);
            path.Add(tree.Root(offset, k));
        }
    }
}
