namespace Wallet.Protocol.Ledger;

/// <summary>The SHA-256 hash of a journal entry's canonical encoding, chaining it to the entry before (docs/ledger.md, "Entry encoding and hash chain").</summary>
/// <remarks>Exactly 32 bytes; compared by value. Not secret, so equality need not be constant-time.</remarks>
public sealed class EntryHash : IEquatable<EntryHash>, IComparable<EntryHash>
{
    /// <summary>The length of the hash in bytes.</summary>
    public const int Length = FixedId.Length;

    private readonly byte[] _bytes;

    /// <summary>Creates the hash from its bytes (copied).</summary>
    /// <param name="bytes">Exactly <see cref="Length"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not <see cref="Length"/> bytes long.</exception>
    public EntryHash(ReadOnlySpan<byte> bytes) => _bytes = FixedId.Copy(bytes, nameof(bytes));

    private EntryHash(byte[] owned) => _bytes = owned;

    /// <summary>The previous-hash of the first entry: 32 zero bytes.</summary>
    public static EntryHash Genesis { get; } = new(new byte[FixedId.Length]);

    /// <summary>The hash's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Parses the lower- or upper-case hexadecimal form produced by <see cref="ToString"/>.</summary>
    /// <param name="hex">64 hexadecimal digits.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hex"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="hex"/> is not 64 hexadecimal digits.</exception>
    public static EntryHash Parse(string hex) => new(FixedId.ParseHex(hex, nameof(hex)));

    /// <summary>Compares two hashs by value.</summary>
    /// <param name="left">The first hash.</param>
    /// <param name="right">The second hash.</param>
    /// <returns><see langword="true"/> when both are null or equal.</returns>
    public static bool operator ==(EntryHash? left, EntryHash? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two hashs by value.</summary>
    /// <param name="left">The first hash.</param>
    /// <param name="right">The second hash.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(EntryHash? left, EntryHash? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(EntryHash? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EntryHash);

    /// <inheritdoc />
    public override int GetHashCode() => FixedId.Hash(_bytes);

    /// <summary>Orders hashs by their bytes (the canonical order used in journal encodings).</summary>
    /// <param name="other">The hash to compare with.</param>
    /// <returns>Negative, zero or positive.</returns>
    public int CompareTo(EntryHash? other) => other is null ? 1 : _bytes.AsSpan().SequenceCompareTo(other._bytes);

    /// <summary>Returns the hash as 64 lower-case hexadecimal digits.</summary>
    /// <returns>The hexadecimal form.</returns>
    public override string ToString() => Convert.ToHexStringLower(_bytes);
}
