namespace Wallet.Protocol;

/// <summary>Identifies a coin by its 32-byte Ed25519 public key, the value a provider deposits and the ledger records as spent (DESIGN.md section 3 "Coins").</summary>
/// <remarks>Exactly 32 bytes; compared by value. Not secret, so equality need not be constant-time.</remarks>
public sealed class CoinId : IEquatable<CoinId>, IComparable<CoinId>
{
    /// <summary>The length of the identifier in bytes.</summary>
    public const int Length = FixedId.Length;

    private readonly byte[] _bytes;

    /// <summary>Creates the identifier from its bytes (copied).</summary>
    /// <param name="bytes">Exactly <see cref="Length"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not <see cref="Length"/> bytes long.</exception>
    public CoinId(ReadOnlySpan<byte> bytes) => _bytes = FixedId.Copy(bytes, nameof(bytes));

    private CoinId(byte[] owned) => _bytes = owned;

    /// <summary>The identifier's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Parses the lower- or upper-case hexadecimal form produced by <see cref="ToString"/>.</summary>
    /// <param name="hex">64 hexadecimal digits.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hex"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="hex"/> is not 64 hexadecimal digits.</exception>
    public static CoinId Parse(string hex) => new(FixedId.ParseHex(hex, nameof(hex)));

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when both are null or equal.</returns>
    public static bool operator ==(CoinId? left, CoinId? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(CoinId? left, CoinId? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(CoinId? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CoinId);

    /// <inheritdoc />
    public override int GetHashCode() => FixedId.Hash(_bytes);

    /// <summary>Orders identifiers by their bytes (the canonical order used in journal encodings).</summary>
    /// <param name="other">The identifier to compare with.</param>
    /// <returns>Negative, zero or positive.</returns>
    public int CompareTo(CoinId? other) => other is null ? 1 : _bytes.AsSpan().SequenceCompareTo(other._bytes);

    /// <summary>Returns the identifier as 64 lower-case hexadecimal digits.</summary>
    /// <returns>The hexadecimal form.</returns>
    public override string ToString() => Convert.ToHexStringLower(_bytes);
}
