namespace Wallet.Crypto.Merkle;

/// <summary>
/// Proof that the leaf at <see cref="LeafIndex"/> is in the tree of <see cref="TreeSize"/> leaves: the audit
/// path of RFC 9162, deepest sibling first.
/// </summary>
/// <remarks>
/// RFC 9162 section 2.1.3. Canonical encoding (version 1):
/// <c>0x01 ‖ 0x01 ‖ tree_size (uint64 BE) ‖ leaf_index (uint64 BE) ‖ count (uint8, ≤ 64) ‖ count × 32-byte hash</c>.
/// </remarks>
public sealed class InclusionProof : IEquatable<InclusionProof>
{
    /// <summary>The longest audit path a proof may carry.</summary>
    public const int MaxPathLength = MerkleEncoding.MaxPathLength;

    private InclusionProof(ulong leafIndex, ulong treeSize, ImmutableArray<MerkleHash> auditPath)
    {
        (LeafIndex, TreeSize, AuditPath) = (leafIndex, treeSize, auditPath);
    }

    /// <summary>Wraps a path the log built and will not change, without copying it.</summary>
    internal static InclusionProof FromTrustedPath(ulong leafIndex, ulong treeSize, ImmutableArray<MerkleHash> auditPath) => new(leafIndex, treeSize, auditPath);

    /// <summary>Creates a proof from its parts.</summary>
    /// <param name="leafIndex">The zero-based index of the proven leaf.</param>
    /// <param name="treeSize">The size of the tree the proof is against.</param>
    /// <param name="auditPath">The audit path, deepest sibling first; copied.</param>
    /// <exception cref="ArgumentException"><paramref name="auditPath"/> holds more than 64 hashes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="leafIndex"/> is not below <paramref name="treeSize"/>.</exception>
    public InclusionProof(ulong leafIndex, ulong treeSize, ReadOnlySpan<MerkleHash> auditPath)
    {
        ImmutableArray<MerkleHash> path = MerkleEncoding.CopyPath(auditPath, nameof(auditPath));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(leafIndex, treeSize);
        (LeafIndex, TreeSize, AuditPath) = (leafIndex, treeSize, path);
    }

    /// <summary>The zero-based index of the proven leaf.</summary>
    public ulong LeafIndex { get; }

    /// <summary>The size of the tree the proof is against.</summary>
    public ulong TreeSize { get; }

    /// <summary>The sibling subtree hashes from the leaf up to the root.</summary>
    public ImmutableArray<MerkleHash> AuditPath { get; }

    /// <summary>Decodes a proof from its canonical encoding.</summary>
    /// <param name="encoded">The bytes, which must be exactly one proof.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="MerkleFormatException">
    /// The bytes are not a canonical version-1 inclusion proof, including a path whose length is not the one the leaf index and tree size
    /// determine (RFC 9162 section 2.1).
    /// </exception>
    public static InclusionProof Decode(ReadOnlySpan<byte> encoded) =>
        TryDecodeCore(encoded, out InclusionProof? proof) is { } error ? throw new MerkleFormatException(error) : proof!;

    /// <summary>Decodes a proof, returning <see langword="false"/> for any malformed input.</summary>
    /// <param name="encoded">The bytes, which must be exactly one proof.</param>
    /// <param name="proof">The proof, when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the bytes were a canonical version-1 inclusion proof.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out InclusionProof? proof) =>
        TryDecodeCore(encoded, out proof) is null;

    /// <summary>Returns the canonical encoding.</summary>
    /// <returns>A new array.</returns>
    public byte[] Encode() =>
        MerkleEncoding.EncodeProof(MerkleEncoding.InclusionProofTag, TreeSize, LeafIndex, AuditPath);

    /// <summary>
    /// Checks that <paramref name="leafHash"/> sits at <see cref="LeafIndex"/> in the tree described by
    /// <paramref name="treeHead"/>, whose size must equal <see cref="TreeSize"/>.
    /// </summary>
    /// <param name="leafHash">The leaf's hash (<see cref="MerkleTree.HashLeaf"/> of the entry).</param>
    /// <param name="treeHead">A tree head whose signature the caller has already verified.</param>
    /// <returns><see langword="true"/> if the proof holds; <see langword="false"/> otherwise, including for a proof against another size.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="treeHead"/> is <see langword="null"/>.</exception>
    /// <remarks>RFC 9162 section 2.1.3.2, with the tree size taken from the tree head.</remarks>
    public bool Verify(MerkleHash leafHash, SignedTreeHead treeHead)
    {
        ArgumentNullException.ThrowIfNull(treeHead);
        return treeHead.TreeSize == TreeSize && Verify(leafHash, treeHead.RootHash);
    }

    /// <summary>Checks that <paramref name="leafHash"/> sits at <see cref="LeafIndex"/> in the tree with root <paramref name="rootHash"/>.</summary>
    /// <param name="leafHash">The leaf's hash (<see cref="MerkleTree.HashLeaf"/> of the entry).</param>
    /// <param name="rootHash">The root of the tree of exactly <see cref="TreeSize"/> leaves.</param>
    /// <returns><see langword="true"/> if the proof holds; <see langword="false"/> for any other input, including a path of the wrong length.</returns>
    /// <remarks>
    /// RFC 9162 section 2.1.3.2. A root does not commit to its tree size on its own: a path can verify under
    /// several sizes that give the tree the same shape along it. The caller must know that
    /// <paramref name="rootHash"/> is the root for <see cref="TreeSize"/>; the <see cref="SignedTreeHead"/>
    /// overload checks that.
    /// </remarks>
    public bool Verify(MerkleHash leafHash, MerkleHash rootHash)
    {
        if (LeafIndex >= TreeSize)
        {
            return false;
        }

        ulong fn = LeafIndex;
        ulong sn = TreeSize - 1;
        MerkleHash r = leafHash;
        foreach (MerkleHash p in AuditPath)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) != 0 || fn == sn)
            {
                r = MerkleTree.HashChildren(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleTree.HashChildren(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r == rootHash;
    }

    /// <inheritdoc />
    public bool Equals(InclusionProof? other) =>
        other is not null && other.LeafIndex == LeafIndex && other.TreeSize == TreeSize &&
        other.AuditPath.AsSpan().SequenceEqual(AuditPath.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as InclusionProof);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(LeafIndex, TreeSize, MerkleEncoding.PathHashCode(AuditPath));

    /// <summary>Describes the proof without its hashes.</summary>
    /// <returns><c>InclusionProof(leaf=…, size=…, path=…)</c>.</returns>
    public override string ToString() => $"InclusionProof(leaf={LeafIndex}, size={TreeSize}, path={AuditPath.Length})";

    private static string? TryDecodeCore(ReadOnlySpan<byte> encoded, out InclusionProof? proof)
    {
        proof = null;
        string? error = MerkleEncoding.TryDecodeProof(
            encoded, MerkleEncoding.InclusionProofTag, out ulong treeSize, out ulong leafIndex, out ImmutableArray<MerkleHash> path);
        if (error is not null)
        {
            return error;
        }

        if (leafIndex >= treeSize)
        {
            return "The leaf index is not below the tree size.";
        }

        // The index and size fix the path's length; any other length cannot verify and is malformed, not merely wrong.
        if (path.Length != MerkleTreeMath.InclusionPathLength(leafIndex, treeSize))
        {
            return "The audit path length does not match the leaf index and tree size.";
        }

        proof = new InclusionProof(leafIndex, treeSize, path);
        return null;
    }
}
