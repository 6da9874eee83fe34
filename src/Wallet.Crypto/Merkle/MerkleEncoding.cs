namespace Wallet.Crypto.Merkle;

/// <summary>
/// The canonical binary layout shared by the Merkle wire structures: a structure tag byte, a version byte,
/// big-endian fixed-width integers, and hash paths as a one-byte count followed by that many 32-byte hashes.
/// </summary>
internal static class MerkleEncoding
{
    public const byte InclusionProofTag = 0x01;
    public const byte ConsistencyProofTag = 0x02;
    public const byte SignedTreeHeadTag = 0x03;
    public const byte Version1 = 0x01;

    /// <summary>Tag, version, two 64-bit integers and the path count.</summary>
    public const int ProofHeaderLength = 2 + 8 + 8 + 1;

    /// <summary>Largest path a proof may carry: one hash per level of a 2^64-leaf tree.</summary>
    public const int MaxPathLength = 64;

    public static byte[] EncodeProof(byte tag, ulong first, ulong second, ImmutableArray<MerkleHash> path)
    {
        var bytes = new byte[ProofHeaderLength + (path.Length * MerkleHash.Length)];
        bytes[0] = tag;
        bytes[1] = Version1;
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(2), first);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(10), second);
        bytes[18] = (byte)path.Length;
        Span<byte> rest = bytes.AsSpan(ProofHeaderLength);
        foreach (MerkleHash hash in path)
        {
            hash.Write(rest);
            rest = rest[MerkleHash.Length..];
        }

        return bytes;
    }

    /// <summary>Parses the common proof layout; returns an error message instead of throwing.</summary>
    public static string? TryDecodeProof(
        ReadOnlySpan<byte> source, byte tag, out ulong first, out ulong second, out ImmutableArray<MerkleHash> path)
    {
        first = 0;
        second = 0;
        path = default;
        if (source.Length < ProofHeaderLength)
        {
            return "The proof is truncated.";
        }

        if (source[0] != tag)
        {
            return "The bytes are not this kind of proof.";
        }

        if (source[1] != Version1)
        {
            return "Unsupported proof version.";
        }

        first = BinaryPrimitives.ReadUInt64BigEndian(source[2..]);
        second = BinaryPrimitives.ReadUInt64BigEndian(source[10..]);
        int count = source[18];
        if (count > MaxPathLength)
        {
            return $"A proof path holds at most {MaxPathLength} hashes.";
        }

        ReadOnlySpan<byte> rest = source[ProofHeaderLength..];
        if (rest.Length != count * MerkleHash.Length)
        {
            return rest.Length < count * MerkleHash.Length ? "The proof path is truncated." : "Trailing bytes after the proof.";
        }

        var builder = ImmutableArray.CreateBuilder<MerkleHash>(count);
        for (int i = 0; i < count; i++)
        {
            builder.Add(MerkleHash.Read(rest.Slice(i * MerkleHash.Length, MerkleHash.Length)));
        }

        path = builder.MoveToImmutable();
        return null;
    }

    public static ImmutableArray<MerkleHash> CopyPath(ReadOnlySpan<MerkleHash> path, string parameterName)
    {
        if (path.Length > MaxPathLength)
        {
            throw new ArgumentException($"A proof path holds at most {MaxPathLength} hashes.", parameterName);
        }

        return ImmutableArray.Create(path);
    }

    public static int PathHashCode(ImmutableArray<MerkleHash> path) => path.Length == 0 ? 0 : path[0].GetHashCode();
}
