namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// A blinded message: what the client sends the signer (RFC 9474 section 4.2 output <c>blinded_msg</c>). It reveals nothing about the message.
/// Its length equals the key's modulus length; the key checks that when the value is used.
/// </summary>
public sealed class BlindedMessage : BlindRsaValue<BlindedMessage>
{
    /// <summary>Wraps <paramref name="bytes"/>, which the caller built and will not change, without copying.</summary>
    internal BlindedMessage(byte[] bytes)
        : base(bytes)
    {
    }

    /// <summary>Wraps a copy of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The big-endian integer, as long as the modulus.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is empty or longer than 1024 bytes (an 8192-bit modulus).</exception>
    public static BlindedMessage FromBytes(ReadOnlySpan<byte> bytes) => new(CopyOf(bytes));
}
