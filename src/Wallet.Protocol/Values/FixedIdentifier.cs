namespace Wallet.Protocol;

/// <summary>
/// Base of the 32-byte identifiers (<see cref="CoinId"/>, <see cref="KeysetId"/>, <see cref="Ledger.EntryHash"/>):
/// value equality, byte order and the hexadecimal form are written once here.
/// </summary>
/// <typeparam name="TSelf">The identifier type itself; identifiers of different types are never equal.</typeparam>
/// <remarks>Not secret, so equality need not be constant-time.</remarks>
public abstract class FixedIdentifier<TSelf> : IEquatable<TSelf>, IComparable<TSelf>
    where TSelf : FixedIdentifier<TSelf>
{
    /// <summary>The length of an identifier in bytes.</summary>
    public const int Length = FixedId.Length;

    private readonly byte[] _bytes;

    /// <summary>Only the identifier types of this assembly derive from this base.</summary>
    /// <param name="bytes">Exactly <see cref="Length"/> bytes (copied).</param>
    /// <param name="paramName">The caller's parameter name, for the error.</param>
    private protected FixedIdentifier(ReadOnlySpan<byte> bytes, string paramName) => _bytes = FixedId.Copy(bytes, paramName);

    /// <summary>The identifier's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when both are null or equal.</returns>
    public static bool operator ==(FixedIdentifier<TSelf>? left, FixedIdentifier<TSelf>? right) => left is null ? right is null : left.Equals(right as TSelf);

    /// <summary>Compares two identifiers by value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(FixedIdentifier<TSelf>? left, FixedIdentifier<TSelf>? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(TSelf? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TSelf);

    /// <inheritdoc />
    public override int GetHashCode() => FixedId.Hash(_bytes);

    /// <summary>Orders identifiers by their bytes (the canonical order used in journal encodings).</summary>
    /// <param name="other">The identifier to compare with.</param>
    /// <returns>Negative, zero or positive.</returns>
    public int CompareTo(TSelf? other) => other is null ? 1 : _bytes.AsSpan().SequenceCompareTo(other._bytes);

    /// <summary>Returns the identifier as 64 lower-case hexadecimal digits.</summary>
    /// <returns>The hexadecimal form.</returns>
    public override string ToString() => Convert.ToHexStringLower(_bytes);
}
