namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// A value exchanged in blind RSA: a big-endian integer as long as the key's modulus (RFC 9474 section 4), such as a
/// <see cref="BlindedMessage"/> or a <see cref="BlindSignature"/>. The key checks the length when the value is used.
/// </summary>
/// <typeparam name="TSelf">The value's own type.</typeparam>
/// <remarks>
/// Two values are equal when they are of the same type and hold the same bytes. The value is public, so the
/// comparison need not run in constant time.
/// </remarks>
public abstract class BlindRsaValue<TSelf> : IEquatable<TSelf>
    where TSelf : BlindRsaValue<TSelf>
{
    /// <summary>The longest value accepted, in bytes: the modulus length of an 8192-bit key.</summary>
    private const int MaximumLength = 1024;

    private readonly byte[] _bytes;

    private protected BlindRsaValue(byte[] bytes)
    {
        _bytes = bytes;
    }

    /// <summary>The length in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>The bytes, without copying.</summary>
    /// <returns>A read-only view of the value.</returns>
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    /// <summary>A copy of the bytes.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>Whether <paramref name="other"/> holds the same bytes.</summary>
    /// <param name="other">The value to compare with.</param>
    /// <returns><see langword="true"/> if the two are equal.</returns>
    public bool Equals(TSelf? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <summary>Whether <paramref name="obj"/> is a value of the same type with the same bytes.</summary>
    /// <param name="obj">The object to compare with.</param>
    /// <returns><see langword="true"/> if the two are equal.</returns>
    public sealed override bool Equals(object? obj) => Equals(obj as TSelf);

    /// <inheritdoc />
    public sealed override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>Returns the type and length; the value is public but long.</summary>
    /// <returns>A short description.</returns>
    public sealed override string ToString() => $"{GetType().Name}({_bytes.Length} bytes)";

    /// <summary>A copy of <paramref name="bytes"/>, checked to be 1 to 1024 bytes long.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is empty or longer than 1024 bytes.</exception>
    private protected static byte[] CopyOf(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes.Length > MaximumLength)
        {
            throw new ArgumentException("Length must be 1 to 1024 bytes.", nameof(bytes));
        }

        return bytes.ToArray();
    }
}
