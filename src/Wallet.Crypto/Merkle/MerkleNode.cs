namespace Wallet.Crypto.Merkle;

/// <summary>A stored node of a Merkle log: the hash of the complete subtree that <see cref="Id"/> names.</summary>
/// <remarks>Equality and hashing are by value over <see cref="Id"/> and <see cref="Hash"/>.</remarks>
public readonly record struct MerkleNode
{
    /// <summary>Creates a node.</summary>
    /// <param name="id">Which subtree.</param>
    /// <param name="hash">The subtree's Merkle Tree Hash (RFC 9162 section 2.1.1).</param>
    public MerkleNode(MerkleNodeId id, MerkleHash hash) => (Id, Hash) = (id, hash);

    /// <summary>Which subtree.</summary>
    public MerkleNodeId Id { get; }

    /// <summary>The subtree's Merkle Tree Hash.</summary>
    public MerkleHash Hash { get; }

    /// <summary>Returns <c>(level, index) hash</c>.</summary>
    /// <returns>A readable form of the node.</returns>
    public override string ToString() => $"{Id} {Hash}";
}
