using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace Wallet.Crypto.Rsa;

/// <summary>
/// Conversions between big-endian octet strings and integers (RFC 8017 section 4, I2OSP / OS2IP) and the
/// small number-theoretic helpers the blind RSA algorithms use.
/// </summary>
internal static class RsaIntegers
{
    /// <summary>OS2IP: a non-negative integer from big-endian bytes.</summary>
    public static BigInteger FromBytes(ReadOnlySpan<byte> bytes) => new(1, bytes);

    /// <summary>I2OSP: writes <paramref name="value"/> as exactly <paramref name="destination"/>.Length big-endian bytes.</summary>
    /// <exception cref="CryptographicException">The value does not fit.</exception>
    public static void ToBytes(BigInteger value, Span<byte> destination)
    {
        int length = value.GetLengthofByteArrayUnsigned();
        if (value.SignValue < 0 || length > destination.Length)
        {
            throw new CryptographicException("Integer too large for its encoding.");
        }

        destination[..(destination.Length - length)].Clear();
        value.ToByteArrayUnsigned(destination[(destination.Length - length)..]);
    }

    /// <summary>I2OSP into a new array of <paramref name="length"/> bytes.</summary>
    public static byte[] ToBytes(BigInteger value, int length)
    {
        var result = new byte[length];
        ToBytes(value, result);
        return result;
    }

    /// <summary>Draws an integer uniformly from [1, <paramref name="limit"/>) with the OS CSPRNG, by rejection sampling.</summary>
    public static BigInteger RandomBelow(BigInteger limit)
    {
        int bits = limit.BitLength;
        int length = (bits + 7) / 8;
        byte topMask = (byte)(0xFF >> ((8 * length) - bits));
        Span<byte> buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(buffer);
                buffer[0] &= topMask;
                var candidate = FromBytes(buffer);
                if (candidate.SignValue > 0 && candidate.CompareTo(limit) < 0)
                {
                    return candidate;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Whether gcd(<paramref name="a"/>, <paramref name="b"/>) is 1.</summary>
    public static bool IsCoprime(BigInteger a, BigInteger b) => a.Gcd(b).Equals(BigInteger.One);
}
