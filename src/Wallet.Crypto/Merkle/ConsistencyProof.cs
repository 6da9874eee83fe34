namespace Wallet.Crypto.Merkle;

/// <summary>
/// Proof that the tree of <see cref="OldSize"/> leaves is a prefix of the tree of <see cref="NewSize"/>
/// leaves: the log only appended between the two tree heads.
/// </summary>
/// <remarks>
/// RFC 9162 section 2.1.4. Beyond the RFC, which defines proofs for <c>0 &lt; first &lt; second</c>, two
/// trivial cases are accepted with an empty path: equal sizes (the roots must match) and an empty old tree
/// (its root must be <see cref="MerkleTree.EmptyRoot"/>). Canonical encoding (version 1):
/// <c>0x02 ‖ 0x01 ‖ old_size (uint64 BE) ‖ new_size (uint64 BE) ‖ count (uint8, ≤ 64) ‖ count × 32-byte hash</c>.
/// </remarks>
public sealed class ConsistencyProof : MerkleProof<ConsistencyProof>
{
    private static readonly MerkleProofFormat<ConsistencyProof> s_format =
        new(MerkleEncoding.ConsistencyProofTag, Check, (oldSize, newSize, path) => new ConsistencyProof(oldSize, newSize, path));

    private ConsistencyProof(ulong oldSize, ulong newSize, ImmutableArray<MerkleHash> path)
        : base(s_format, oldSize, newSize, path)
    {
    }

    /// <summary>Wraps a path the log built and will not change, without copying it.</summary>
    internal static ConsistencyProof FromTrustedPath(ulong oldSize, ulong newSize, ImmutableArray<MerkleHash> path) => new(oldSize, newSize, path);

    /// <summary>Creates a proof from its parts.</summary>
    /// <param name="oldSize">The size of the earlier tree.</param>
    /// <param name="newSize">The size of the later tree.</param>
    /// <param name="path">The consistency path in RFC 9162 order; copied.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> holds more than 64 hashes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="oldSize"/> is greater than <paramref name="newSize"/>.</exception>
    public ConsistencyProof(ulong oldSize, ulong newSize, ReadOnlySpan<MerkleHash> path)
        : this(oldSize, newSize, MerkleEncoding.CopyPath(path, nameof(path)))
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldSize, newSize);
    }

    /// <summary>The size of the earlier tree.</summary>
    public ulong OldSize => First;

    /// <summary>The size of the later tree.</summary>
    public ulong NewSize => Second;

    /// <summary>The consistency path in RFC 9162 order.</summary>
    public ImmutableArray<MerkleHash> Path => Hashes;

    /// <summary>Decodes a proof from its canonical encoding.</summary>
    /// <param name="encoded">The bytes, which must be exactly one proof.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="MerkleFormatException">
    /// The bytes are not a canonical version-1 consistency proof, including a path whose length is not the one the two tree sizes
    /// determine (RFC 9162 section 2.1).
    /// </exception>
    public static ConsistencyProof Decode(ReadOnlySpan<byte> encoded) => s_format.Decode(encoded);

    /// <summary>Decodes a proof, returning <see langword="false"/> for any malformed input.</summary>
    /// <param name="encoded">The bytes, which must be exactly one proof.</param>
    /// <param name="proof">The proof, when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the bytes were a canonical version-1 consistency proof.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out ConsistencyProof? proof) =>
        s_format.TryDecode(encoded, out proof) is null;

    /// <summary>
    /// Checks that <paramref name="oldHead"/>'s tree is a prefix of <paramref name="newHead"/>'s: both from one
    /// log, with sizes <see cref="OldSize"/> and <see cref="NewSize"/>.
    /// </summary>
    /// <param name="oldHead">The earlier tree head, whose signature the caller has already verified.</param>
    /// <param name="newHead">The later tree head, whose signature the caller has already verified.</param>
    /// <returns><see langword="true"/> if the proof holds; <see langword="false"/> otherwise, including for heads of other sizes or logs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="oldHead"/> or <paramref name="newHead"/> is <see langword="null"/>.</exception>
    /// <remarks>RFC 9162 section 2.1.4.2, with the sizes taken from the tree heads.</remarks>
    public bool Verify(SignedTreeHead oldHead, SignedTreeHead newHead)
    {
        ArgumentNullException.ThrowIfNull(oldHead);
        ArgumentNullException.ThrowIfNull(newHead);
        return oldHead.LogId == newHead.LogId && oldHead.TreeSize == OldSize && newHead.TreeSize == NewSize &&
            Verify(oldHead.RootHash, newHead.RootHash);
    }

    /// <summary>Checks that the tree with root <paramref name="oldRoot"/> is a prefix of the tree with root <paramref name="newRoot"/>.</summary>
    /// <param name="oldRoot">The root of the tree of exactly <see cref="OldSize"/> leaves.</param>
    /// <param name="newRoot">The root of the tree of exactly <see cref="NewSize"/> leaves.</param>
    /// <returns><see langword="true"/> if the proof holds; <see langword="false"/> for any other input, including a path of the wrong length.</returns>
    /// <remarks>
    /// RFC 9162 section 2.1.4.2. Roots do not commit to their sizes on their own, so the caller must know
    /// that the roots belong to <see cref="OldSize"/> and <see cref="NewSize"/>; the
    /// <see cref="SignedTreeHead"/> overload checks that.
    /// </remarks>
    public bool Verify(MerkleHash oldRoot, MerkleHash newRoot)
    {
        ReadOnlySpan<MerkleHash> path = Path.AsSpan();
        if (OldSize > NewSize)
        {
            return false;
        }

        if (OldSize == NewSize)
        {
            return path.IsEmpty && oldRoot == newRoot;
        }

        if (OldSize == 0)
        {
            return path.IsEmpty && oldRoot == MerkleTree.EmptyRoot;
        }

        if (path.IsEmpty)
        {
            return false;
        }

        // Step 2: a power-of-two old tree is itself a node of the new tree, so the path starts with its root.
        bool oldIsPerfect = (OldSize & (OldSize - 1)) == 0;
        MerkleHash first = oldIsPerfect ? oldRoot : path[0];
        ReadOnlySpan<MerkleHash> rest = oldIsPerfect ? path : path[1..];

        ulong fn = OldSize - 1;
        ulong sn = NewSize - 1;
        while ((fn & 1) != 0)
        {
            fn >>= 1;
            sn >>= 1;
        }

        MerkleHash fr = first;
        MerkleHash sr = first;
        foreach (MerkleHash c in rest)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) != 0 || fn == sn)
            {
                fr = MerkleTree.HashChildren(c, fr);
                sr = MerkleTree.HashChildren(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleTree.HashChildren(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr == oldRoot && sr == newRoot;
    }

    /// <summary>Describes the proof without its hashes.</summary>
    /// <returns><c>ConsistencyProof(old=…, new=…, path=…)</c>.</returns>
    public override string ToString() => $"ConsistencyProof(old={OldSize}, new={NewSize}, path={Path.Length})";

    // Beyond the common layout: the sizes are ordered, and they fix the path's length (RFC 9162 section 2.1.4.1);
    // any other length cannot verify and is malformed, not merely wrong.
    private static string? Check(ulong oldSize, ulong newSize, int pathLength) =>
        oldSize > newSize ? "The old tree size exceeds the new one."
        : pathLength != MerkleTreeMath.ConsistencyPathLength(oldSize, newSize) ? "The consistency path length does not match the tree sizes."
        : null;
}
