using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Wallet.Crypto.Merkle;

/// <summary>
/// A 32-byte SHA-256 value in a Merkle transparency log: a leaf hash, an interior node hash or a tree root.
/// </summary>
/// <remarks>
/// Held inline as four machine words, so hashes travel by value without allocating. Hashes in the log are
/// public, so equality is an ordinary (not constant-time) comparison. RFC 9162 section 2.1.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly struct MerkleHash : IEquatable<MerkleHash>
{
    /// <summary>Length of a hash, in bytes.</summary>
    public const int Length = 32;

    private readonly ulong _w0;
    private readonly ulong _w1;
    private readonly ulong _w2;
    private readonly ulong _w3;

    /// <summary>Creates a hash from its 32 bytes.</summary>
    /// <param name="bytes">Exactly 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public MerkleHash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A Merkle hash is {Length} bytes.", nameof(bytes));
        }

        this = MemoryMarshal.Read<MerkleHash>(bytes);
    }

    /// <summary>Parses 64 hexadecimal characters.</summary>
    /// <param name="hex">The hash in hex, either case.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hex"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="hex"/> is not 64 hexadecimal characters.</exception>
    public static MerkleHash Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != Length * 2)
        {
            throw new FormatException($"A Merkle hash is {Length * 2} hexadecimal characters.");
        }

        Span<byte> bytes = stackalloc byte[Length];
        if (Convert.FromHexString(hex, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != Length)
        {
            throw new FormatException("A Merkle hash is written in hexadecimal characters only.");
        }

        return Read(bytes);
    }

    /// <summary>Copies the 32 bytes into <paramref name="destination"/>.</summary>
    /// <param name="destination">A buffer of at least 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"The destination must hold {Length} bytes.", nameof(destination));
        }

        Write(destination);
    }

    /// <summary>Returns the 32 bytes in a new array.</summary>
    /// <returns>A copy of the hash.</returns>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        Write(bytes);
        return bytes;
    }

    /// <inheritdoc />
    public bool Equals(MerkleHash other) =>
        _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MerkleHash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)_w0;

    /// <summary>Returns the hash in lower-case hex.</summary>
    /// <returns>64 hexadecimal characters.</returns>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        Write(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Compares two hashes for equality.</summary>
    /// <param name="left">The first hash.</param>
    /// <param name="right">The second hash.</param>
    /// <returns>Whether the hashes are equal.</returns>
    public static bool operator ==(MerkleHash left, MerkleHash right) => left.Equals(right);

    /// <summary>Compares two hashes for inequality.</summary>
    /// <param name="left">The first hash.</param>
    /// <param name="right">The second hash.</param>
    /// <returns>Whether the hashes differ.</returns>
    public static bool operator !=(MerkleHash left, MerkleHash right) => !left.Equals(right);

    /// <summary>Reads a hash from the first 32 bytes of <paramref name="source"/>, which the caller has sized.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static MerkleHash Read(ReadOnlySpan<byte> source) => MemoryMarshal.Read<MerkleHash>(source);

    /// <summary>Writes the hash to the first 32 bytes of <paramref name="destination"/>, which the caller has sized.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Write(Span<byte> destination) => MemoryMarshal.Write(destination, in this);

    /// <summary>Views a hash variable as its 32 bytes, so SHA-256 can write straight into it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Span<byte> AsBytes(ref MerkleHash hash) => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref hash, 1));
}
