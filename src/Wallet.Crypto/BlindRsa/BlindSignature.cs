namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// A blind signature: the signer's answer to a <see cref="BlindedMessage"/> (RFC 9474 section 4.3 output <c>blind_sig</c>).
/// Its length equals the key's modulus length; the key checks that when the value is used.
/// </summary>
public sealed class BlindSignature : BlindRsaValue<BlindSignature>
{
    /// <summary>Wraps <paramref name="bytes"/>, which the caller built and will not change, without copying.</summary>
    internal BlindSignature(byte[] bytes)
        : base(bytes)
    {
    }

    /// <summary>Wraps a copy of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The big-endian integer, as long as the modulus.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is empty or longer than 1024 bytes (an 8192-bit modulus).</exception>
    public static BlindSignature FromBytes(ReadOnlySpan<byte> bytes) => new(CopyOf(bytes));
}
