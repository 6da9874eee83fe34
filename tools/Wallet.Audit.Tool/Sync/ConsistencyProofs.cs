namespace Wallet.Audit.Tool.Sync;

/// <summary>Consistency proofs computed from the mirror's own leaf hashes (RFC 9162 section 2.1.4.1, PROOF and SUBPROOF).</summary>
internal static class ConsistencyProofs
{
    /// <summary>The proof that the tree of the first <paramref name="oldSize"/> leaves is a prefix of the tree of all <paramref name="leaves"/>.</summary>
    public static ConsistencyProof Compute(IReadOnlyList<MerkleHash> leaves, ulong oldSize)
    {
        ArgumentOutOfRangeException.ThrowIfZero(oldSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldSize, (ulong)leaves.Count);
        MerkleHash[] all = [.. leaves];
        var path = new List<MerkleHash>();
        SubProof((int)oldSize, all, true, path);
        return new ConsistencyProof(oldSize, (ulong)all.Length, [.. path]);
    }

    private static void SubProof(int m, ReadOnlySpan<MerkleHash> leaves, bool complete, List<MerkleHash> path)
    {
        int n = leaves.Length;
        if (m == n)
        {
            if (!complete)
            {
                path.Add(MerkleTree.ComputeRoot(leaves));
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
            SubProof(m, leaves[..k], complete, path);
            path.Add(MerkleTree.ComputeRoot(leaves[k..]));
        }
        else
        {
            SubProof(m - k, leaves[k..], false, path);
            path.Add(MerkleTree.ComputeRoot(leaves[..k]));
        }
    }
}
