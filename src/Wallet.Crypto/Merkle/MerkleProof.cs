namespace Wallet.Crypto.Merkle;

/// <summary>
/// What <see cref="InclusionProof"/> and <see cref="ConsistencyProof"/> share: two tree positions, a path of
/// hashes, the canonical encoding and value equality.
/// </summary>
/// <typeparam name="TSelf">The proof's own type.</typeparam>
/// <remarks>
/// Canonical encoding (version 1): <c>tag ‖ 0x01 ‖ two uint64 BE ‖ count (uint8, ≤ 64) ‖ count × 32-byte hash</c>,
/// where the tag and the meaning of the two numbers belong to the proof type. Two proofs are equal when they
/// are of the same type with the same numbers and path.
/// </remarks>
public abstract class MerkleProof<TSelf> : IEquatable<TSelf>
    where TSelf : MerkleProof<TSelf>
{
    /// <summary>The longest path a proof may carry.</summary>
    public const int MaxPathLength = MerkleEncoding.MaxPathLength;

    private readonly MerkleProofFormat<TSelf> _format;

    private protected MerkleProof(MerkleProofFormat<TSelf> format, ulong first, ulong second, ImmutableArray<MerkleHash> path)
    {
        (_format, First, Second, Hashes) = (format, first, second, path);
    }

    /// <summary>The number the encoding writes first.</summary>
    private protected ulong First { get; }

    /// <summary>The number the encoding writes second.</summary>
    private protected ulong Second { get; }

    /// <summary>The path, in RFC 9162 order.</summary>
    private protected ImmutableArray<MerkleHash> Hashes { get; }

    /// <summary>Returns the canonical encoding.</summary>
    /// <returns>A new array.</returns>
    public byte[] Encode() => _format.Encode(First, Second, Hashes);

    /// <summary>Whether <paramref name="other"/> has the same numbers and path.</summary>
    /// <param name="other">The proof to compare with.</param>
    /// <returns><see langword="true"/> if the two are equal.</returns>
    public bool Equals(TSelf? other) =>
        other is not null && other.First == First && other.Second == Second &&
        other.Hashes.AsSpan().SequenceEqual(Hashes.AsSpan());

    /// <summary>Whether <paramref name="obj"/> is a proof of the same type with the same numbers and path.</summary>
    /// <param name="obj">The object to compare with.</param>
    /// <returns><see langword="true"/> if the two are equal.</returns>
    public sealed override bool Equals(object? obj) => Equals(obj as TSelf);

    /// <inheritdoc />
    public sealed override int GetHashCode() => HashCode.Combine(First, Second, MerkleEncoding.PathHashCode(Hashes));
}
