namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// A blind signature: the signer's answer to a <see cref="BlindedMessage"/> (RFC 9474 section 4.3 output <c>blind_sig</c>).
/// Its length equals the key's modulus length; the key checks that when the value is used.
/// </summary>
public sealed class BlindSignature : IEquatable<BlindSignature>
{
    private readonly byte[] _bytes;

    private BlindSignature(byte[] bytes)
    {
        _bytes = bytes;
    }

    /// <summary>The length in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>Wraps a copy of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The big-endian integer, as long as the modulus.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is empty or longer than 1024 bytes (an 8192-bit modulus).</exception>
    public static BlindSignature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes.Length > 1024)
        {
            throw new ArgumentException("Length must be 1 to 1024 bytes.", nameof(bytes));
        }

        return new BlindSignature(bytes.ToArray());
    }

    internal static BlindSignature Wrap(byte[] bytes) => new(bytes);

    /// <summary>The bytes, without copying.</summary>
    /// <returns>A read-only view of the value.</returns>
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    /// <summary>A copy of the bytes.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <inheritdoc />
    public bool Equals(BlindSignature? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BlindSignature);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>Returns the type and length; the value is public but long.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"BlindSignature({_bytes.Length} bytes)";
}
