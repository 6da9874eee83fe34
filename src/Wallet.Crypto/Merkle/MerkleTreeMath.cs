using System.Numerics;

namespace Wallet.Crypto.Merkle;

/// <summary>
/// Index arithmetic shared by tree hashing, proof generation and the log: which perfect subtrees make up a
/// range of leaves, and which ranges an RFC 9162 proof consists of.
/// </summary>
/// <remarks>
/// Every range that the RFC 9162 recursions (MTH, PATH, SUBPROOF) visit starts at a multiple of the largest
/// power of two not above its length, so it splits into at most 64 stored perfect subtrees, largest first.
/// </remarks>
internal static class MerkleTreeMath
{
    /// <summary>Levels of perfect subtrees in a tree of up to 2^64 − 1 leaves.</summary>
    public const int MaxLevels = MerkleNodeId.MaxLevels;

    /// <summary>Upper bound on the ranges of one proof: one per recursion step plus the final subtree.</summary>
    public const int MaxProofRanges = MaxLevels + 1;

    /// <summary>The largest power of two strictly below <paramref name="n"/> (RFC 9162's <c>k</c>); n ≥ 2.</summary>
    public static ulong SplitPoint(ulong n) => 1UL << (63 - BitOperations.LeadingZeroCount(n - 1));

    /// <summary>
    /// Adds leaf <paramref name="index"/> to a frontier that holds, at level L, the root of the perfect
    /// subtree for bit L of the current size; optionally records every node the append completes.
    /// </summary>
    public static void AppendToFrontier(Span<MerkleHash> frontier, ulong index, MerkleHash leafHash, MerkleNodeBuffer? completed)
    {
        MerkleHash carry = leafHash;
        int level = 0;
        ulong position = index;
        completed?.Add(new MerkleNode(new MerkleNodeId(0, position), carry));
        while ((position & 1) != 0)
        {
            carry = MerkleTree.HashChildren(frontier[level], carry);
            level++;
            position >>= 1;
            completed?.Add(new MerkleNode(new MerkleNodeId(level, position), carry));
        }

        frontier[level] = carry;
    }

    /// <summary>The root of a tree of <paramref name="size"/> ≥ 1 leaves from its frontier.</summary>
    public static MerkleHash RootFromFrontier(ReadOnlySpan<MerkleHash> frontier, ulong size)
    {
        int level = BitOperations.TrailingZeroCount(size);
        MerkleHash root = frontier[level];
        ulong rest = size >> level >> 1;
        while (rest != 0)
        {
            level++;
            if ((rest & 1) != 0)
            {
                root = MerkleTree.HashChildren(frontier[level], root);
            }

            rest >>= 1;
        }

        return root;
    }

    /// <summary>Number of perfect subtrees that make up a range of <paramref name="count"/> leaves.</summary>
    public static int SubtreeCount(ulong count) => BitOperations.PopCount(count);

    /// <summary>Writes the perfect subtrees of an aligned range, largest (leftmost) first.</summary>
    /// <returns>How many ids were written.</returns>
    public static int Subtrees(LeafRange range, Span<MerkleNodeId> destination)
    {
        int written = 0;
        ulong position = range.Start;
        for (int level = MaxLevels - 1; level >= 0; level--)
        {
            ulong width = 1UL << level;
            if ((range.Count & width) != 0)
            {
                destination[written++] = new MerkleNodeId(level, position >> level);
                position += width;
            }
        }

        return written;
    }

    /// <summary>Hashes the perfect subtrees of one range (largest first) into the range's MTH.</summary>
    public static MerkleHash FoldSubtrees(ReadOnlySpan<MerkleHash> subtrees)
    {
        MerkleHash hash = subtrees[^1];
        for (int i = subtrees.Length - 2; i >= 0; i--)
        {
            hash = MerkleTree.HashChildren(subtrees[i], hash);
        }

        return hash;
    }

    /// <summary>
    /// The ranges whose MTHs form PATH(<paramref name="index"/>, D[<paramref name="size"/>]), in proof order
    /// (deepest sibling first).
    /// </summary>
    /// <remarks>RFC 9162 section 2.1.3.1, unrolled from the top down and then reversed.</remarks>
    /// <returns>How many ranges were written.</returns>
    public static int InclusionRanges(ulong index, ulong size, Span<LeafRange> destination)
    {
        int written = 0;
        ulong start = 0;
        while (size > 1)
        {
            Descend(ref index, ref start, ref size, destination, ref written);
        }

        destination[..written].Reverse();
        return written;
    }

    /// <summary>
    /// The ranges whose MTHs form PROOF(<paramref name="oldSize"/>, D[<paramref name="newSize"/>]), in proof
    /// order; empty when the sizes are equal or the old tree is empty.
    /// </summary>
    /// <remarks>RFC 9162 section 2.1.4.1 (SUBPROOF), unrolled from the top down and then reversed.</remarks>
    /// <returns>How many ranges were written.</returns>
    public static int ConsistencyRanges(ulong oldSize, ulong newSize, Span<LeafRange> destination)
    {
        if (oldSize == 0)
        {
            return 0;
        }

        int written = 0;
        ulong start = 0;
        ulong size = newSize;

        // SUBPROOF(m, D[n]) descends towards the old tree's last leaf m - 1 until the old tree fills the subtree.
        ulong oldLast = oldSize - 1;
        bool wholeOldTree = true;
        while (oldLast != size - 1)
        {
            if (Descend(ref oldLast, ref start, ref size, destination, ref written))
            {
                wholeOldTree = false;
            }
        }

        if (!wholeOldTree)
        {
            destination[written++] = new LeafRange(start, size);
        }

        destination[..written].Reverse();
        return written;
    }

    /// <summary>
    /// One step of the top-down walk that PATH and SUBPROOF share: splits the subtree
    /// [<paramref name="start"/>, start + <paramref name="size"/>) at k, records the half that does not hold
    /// <paramref name="leaf"/> (relative to start) and narrows the walk to the half that does.
    /// </summary>
    /// <returns>Whether the walk went right, leaving a complete left subtree behind.</returns>
    private static bool Descend(ref ulong leaf, ref ulong start, ref ulong size, Span<LeafRange> destination, ref int written)
    {
        ulong k = SplitPoint(size);
        if (leaf < k)
        {
            destination[written++] = new LeafRange(start + k, size - k);
            size = k;
            return false;
        }

        destination[written++] = new LeafRange(start, k);
        start += k;
        leaf -= k;
        size -= k;
        return true;
    }

    /// <summary>The number of hashes in PATH(<paramref name="index"/>, D[<paramref name="size"/>]); requires index &lt; size.</summary>
    /// <returns>The exact audit path length (RFC 9162 section 2.1.3.1).</returns>
    public static int InclusionPathLength(ulong index, ulong size)
    {
        Span<LeafRange> ranges = stackalloc LeafRange[MaxProofRanges];
        return InclusionRanges(index, size, ranges);
    }

    /// <summary>The number of hashes in PROOF(<paramref name="oldSize"/>, D[<paramref name="newSize"/>]); requires oldSize ≤ newSize.</summary>
    /// <returns>The exact consistency path length (RFC 9162 section 2.1.4.1).</returns>
    public static int ConsistencyPathLength(ulong oldSize, ulong newSize)
    {
        Span<LeafRange> ranges = stackalloc LeafRange[MaxProofRanges];
        return ConsistencyRanges(oldSize, newSize, ranges);
    }
}
