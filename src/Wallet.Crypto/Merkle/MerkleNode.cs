namespace Wallet.Crypto.Merkle;

/// <summary>A stored node of a Merkle log: the hash of the complete subtree that <see cref="Id"/> names.</summary>
/// <param name="id">Which subtree.</param>
/// <param name="hash">The subtree's Merkle Tree Hash (RFC 9162 section 2.1.1).</param>
public readonly struct MerkleNode(MerkleNodeId id, MerkleHash hash) : IEquatable<MerkleNode>
{
    /// <summary>Which subtree.</summary>
    public MerkleNodeId Id { get; } = id;

    /// <summary>The subtree's Merkle Tree Hash.</summary>
    public MerkleHash Hash { get; } = hash;

    /// <inheritdoc />
    public bool Equals(MerkleNode other) => Id == other.Id && Hash == other.Hash;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MerkleNode other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Hash);

    /// <summary>Returns <c>(level, index) hash</c>.</summary>
    /// <returns>A readable form of the node.</returns>
    public override string ToString() => $"{Id} {Hash}";

    /// <summary>Compares two nodes for equality.</summary>
    /// <param name="left">The first node.</param>
    /// <param name="right">The second node.</param>
    /// <returns>Whether the nodes are equal.</returns>
    public static bool operator ==(MerkleNode left, MerkleNode right) => left.Equals(right);

    /// <summary>Compares two nodes for inequality.</summary>
    /// <param name="left">The first node.</param>
    /// <param name="right">The second node.</param>
    /// <returns>Whether the nodes differ.</returns>
    public static bool operator !=(MerkleNode left, MerkleNode right) => !left.Equals(right);
}
