namespace Wallet.Crypto.Merkle;

/// <summary>
/// Names one perfect subtree of a Merkle log: the <see cref="Index"/>-th subtree of <c>2^Level</c> leaves,
/// covering leaves <c>[Index·2^Level, (Index+1)·2^Level)</c>. Level 0 nodes are the leaf hashes.
/// </summary>
/// <remarks>
/// A log store keys its node table by this pair. Only complete subtrees are ever stored, so a stored node
/// never changes once written. Equality and hashing are by value over <see cref="Level"/> and <see cref="Index"/>.
/// </remarks>
public readonly record struct MerkleNodeId
{
    /// <summary>The number of levels a log of up to 2^64 − 1 leaves can have (levels 0 to 63).</summary>
    public const int MaxLevels = 64;

    /// <summary>Creates a node id.</summary>
    /// <param name="level">The height of the subtree, 0 (a leaf) to 63.</param>
    /// <param name="index">The subtree's position among those of its level.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside 0 to 63, or the subtree would start past 2^64 − 1.</exception>
    public MerkleNodeId(int level, ulong index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, MaxLevels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, ulong.MaxValue >> level);
        Level = level;
        Index = index;
    }

    /// <summary>The height of the subtree: 0 for a leaf, <c>k</c> for a subtree of <c>2^k</c> leaves.</summary>
    public int Level { get; }

    /// <summary>The subtree's position among the subtrees of its level.</summary>
    public ulong Index { get; }

    /// <summary>Returns <c>(level, index)</c>.</summary>
    /// <returns>A readable form of the id.</returns>
    public override string ToString() => $"({Level}, {Index})";
}
