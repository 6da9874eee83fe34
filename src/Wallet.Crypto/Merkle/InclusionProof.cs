namespace Wallet.Crypto.Merkle;

/// <summary>
/// Proof that the leaf at <see cref="LeafIndex"/> is in the tree of <see cref="TreeSize"/> leaves: the audit
/// path of RFC 9162, deepest sibling first.
/// </summary>
/// <remarks>
/// RFC 9162 section 2.1.3. Canonical encoding (version 1):
/// <c>0x01 ‖ 0x01 ‖ tree_size (uint64 BE) ‖ leaf_index (uint64 BE) ‖ count (uint8, ≤ 64) ‖ count × 32-byte hash</c>.
/// </remarks>
public sealed class InclusionProof : MerkleProof<InclusionProof>
{
    // The encoding writes the tree size before the leaf index.
    private static readonly MerkleProofFormat<InclusionProof> s_format =
        new(MerkleEncoding.InclusionProofTag, Check, (treeSize, leafIndex, path) => new InclusionProof(leafIndex, treeSize, path));

    private InclusionProof(ulong leafIndex, ulong treeSize, ImmutableArray<MerkleHash> auditPath)
        : base(s_format, treeSize, leafIndex, auditPath)
    {
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
        : this(leafIndex, treeSize, MerkleEncoding.CopyPath(auditPath, nameof(auditPath)))
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(leafIndex, treeSize);
    }

    /// <summary>The zero-based index of the proven leaf.</summary>
    public ulong LeafIndex => Second;

    /// <summary>The size of the tree the proof is against.</summary>
    public ulong TreeSize => First;

    /// <summary>The sibling subtree hashes from the leaf up to the root.</summary>
    public ImmutableArray<MerkleHash> AuditPath => Hashes;

    /// <summary>Decodes a proof from its canonical encoding.</summary>
    /// <param name="encoded">The bytes, which must be exactly one proof.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="MerkleFormatException">
    /// The bytes are not a canonical version-1 inclusion proof, including a path whose length is not the one the leaf index and tree size
    /// determine (RFC 9162 section 2.1).
    /// </exception>
    public static InclusionProof Decode(ReadOnlySpan<byte> encoded) => s_format.Decode(encoded);

    /// <summary>Decodes a proof, returning <see langword="false"/> for any malformed input.</summary>
    /// <param name="encoded">The bytes, which must be exactly one proof.</param>
    /// <param name="proof">The proof, when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the bytes were a canonical version-1 inclusion proof.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out InclusionProof? proof) =>
        s_format.TryDecode(encoded, out proof) is null;

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

    /// <summary>Describes the proof without its hashes.</summary>
    /// <returns><c>InclusionProof(leaf=…, size=…, path=…)</c>.</returns>
    public override string ToString() => $"InclusionProof(leaf={LeafIndex}, size={TreeSize}, path={AuditPath.Length})";

    // Beyond the common layout: the leaf is in the tree, and the index and size fix the path's length (RFC 9162
    // section 2.1.3.1); any other length cannot verify and is malformed, not merely wrong.
    private static string? Check(ulong treeSize, ulong leafIndex, int pathLength) =>
        leafIndex >= treeSize ? "The leaf index is not below the tree size."
        : pathLength != MerkleTreeMath.InclusionPathLength(leafIndex, treeSize) ? "The audit path length does not match the leaf index and tree size."
        : null;
}
