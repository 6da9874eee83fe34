using System.Buffers;

namespace Wallet.Crypto.Merkle;

/// <summary>
/// The RFC 9162 Merkle Tree Hash over SHA-256: leaf hashes <c>SHA-256(0x00 ‖ leaf)</c>, interior node hashes
/// <c>SHA-256(0x01 ‖ left ‖ right)</c>, and the root of a list of leaves of any length.
/// </summary>
/// <remarks>RFC 9162 section 2.1.1. The distinct prefixes keep a leaf from ever being read as a node.</remarks>
public static class MerkleTree
{
    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    // Leaves up to this size are prefixed on the stack; larger ones borrow a pooled buffer.
    private const int StackLeafLimit = 512;

    /// <summary>The root of the empty tree: SHA-256 of the empty string.</summary>
    /// <remarks>RFC 9162 section 2.1.1: <c>MTH({}) = SHA-256()</c>.</remarks>
    public static MerkleHash EmptyRoot { get; } = ComputeEmptyRoot();

    /// <summary>Hashes one log entry: <c>SHA-256(0x00 ‖ leaf)</c>.</summary>
    /// <param name="leaf">The entry's bytes (any length, including empty).</param>
    /// <returns>The leaf hash.</returns>
    /// <remarks>RFC 9162 section 2.1.1: <c>MTH({d(0)}) = SHA-256(0x00 || d(0))</c>.</remarks>
    public static MerkleHash HashLeaf(ReadOnlySpan<byte> leaf)
    {
        int length = leaf.Length + 1;
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLeafLimit
            ? stackalloc byte[StackLeafLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            buffer[0] = LeafPrefix;
            leaf.CopyTo(buffer[1..]);
            MerkleHash result = default;
            SHA256.HashData(buffer[..length], MerkleHash.AsBytes(ref result));
            return result;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Hashes two child nodes into their parent: <c>SHA-256(0x01 ‖ left ‖ right)</c>.</summary>
    /// <param name="left">The left child's hash.</param>
    /// <param name="right">The right child's hash.</param>
    /// <returns>The parent's hash.</returns>
    /// <remarks>RFC 9162 section 2.1.1.</remarks>
    public static MerkleHash HashChildren(in MerkleHash left, in MerkleHash right)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * MerkleHash.Length)];
        buffer[0] = NodePrefix;
        left.Write(buffer[1..]);
        right.Write(buffer[(1 + MerkleHash.Length)..]);
        MerkleHash result = default;
        SHA256.HashData(buffer, MerkleHash.AsBytes(ref result));
        return result;
    }

    /// <summary>Computes the Merkle Tree Hash of a list of leaf hashes.</summary>
    /// <param name="leafHashes">The leaf hashes (from <see cref="HashLeaf"/>), in log order.</param>
    /// <returns>The root; <see cref="EmptyRoot"/> for an empty list.</returns>
    /// <remarks>
    /// RFC 9162 section 2.1.1. Computed bottom-up with a stack of at most 64 perfect-subtree roots, so the
    /// cost is one hash per interior node and no allocation.
    /// </remarks>
    public static MerkleHash ComputeRoot(ReadOnlySpan<MerkleHash> leafHashes)
    {
        if (leafHashes.IsEmpty)
        {
            return EmptyRoot;
        }

        Span<MerkleHash> frontier = stackalloc MerkleHash[MerkleTreeMath.MaxLevels];
        for (int i = 0; i < leafHashes.Length; i++)
        {
            MerkleTreeMath.AppendToFrontier(frontier, (ulong)i, leafHashes[i], default);
        }

        return MerkleTreeMath.RootFromFrontier(frontier, (ulong)leafHashes.Length);
    }

    private static MerkleHash ComputeEmptyRoot()
    {
        MerkleHash result = default;
        SHA256.HashData(ReadOnlySpan<byte>.Empty, MerkleHash.AsBytes(ref result));
        return result;
    }
}
