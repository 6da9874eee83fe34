namespace Wallet.Crypto.Merkle;

/// <summary>
/// The 32-byte identity of a transparency log: SHA-256 of the Ed25519 public key that signs its tree heads.
/// </summary>
/// <remarks>
/// Deriving the id from the key (as RFC 9162 section 4.4 does for log ids) lets a verifier tie a tree head to
/// the key that must have signed it, without a registry of ids.
/// </remarks>
public readonly struct MerkleLogId : IEquatable<MerkleLogId>
{
    /// <summary>Length of a log id, in bytes.</summary>
    public const int Length = 32;

    private readonly MerkleHash _value;

    /// <summary>Creates a log id from its 32 bytes.</summary>
    /// <param name="bytes">Exactly 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public MerkleLogId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A log id is {Length} bytes.", nameof(bytes));
        }

        _value = MerkleHash.Read(bytes);
    }

    private MerkleLogId(MerkleHash value) => _value = value;

    /// <summary>The id of the log whose tree heads <paramref name="publicKey"/> verifies: SHA-256 of the raw key.</summary>
    /// <param name="publicKey">The log's tree-head signing key.</param>
    /// <returns>The log id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="publicKey"/> is <see langword="null"/>.</exception>
    public static MerkleLogId FromPublicKey(Ed25519PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        MerkleHash digest = default;
        SHA256.HashData(publicKey.AsSpan(), MerkleHash.AsBytes(ref digest));
        return new MerkleLogId(digest);
    }

    /// <summary>Copies the 32 bytes into <paramref name="destination"/>.</summary>
    /// <param name="destination">A buffer of at least 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void CopyTo(Span<byte> destination) => _value.CopyTo(destination);

    /// <summary>Returns the 32 bytes in a new array.</summary>
    /// <returns>A copy of the id.</returns>
    public byte[] ToArray() => _value.ToArray();

    /// <inheritdoc />
    public bool Equals(MerkleLogId other) => _value == other._value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MerkleLogId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value.GetHashCode();

    /// <summary>Returns the id in lower-case hex.</summary>
    /// <returns>64 hexadecimal characters.</returns>
    public override string ToString() => _value.ToString();

    /// <summary>Compares two log ids for equality.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>Whether the ids are equal.</returns>
    public static bool operator ==(MerkleLogId left, MerkleLogId right) => left.Equals(right);

    /// <summary>Compares two log ids for inequality.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>Whether the ids differ.</returns>
    public static bool operator !=(MerkleLogId left, MerkleLogId right) => !left.Equals(right);

    internal void Write(Span<byte> destination) => _value.Write(destination);

    internal static MerkleLogId Read(ReadOnlySpan<byte> source) => new(MerkleHash.Read(source));
}
