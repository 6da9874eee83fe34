using Org.BouncyCastle.Math;
using NetInteger = System.Numerics.BigInteger;

namespace Wallet.Crypto.Rsa;

/// <summary>
/// Conversions between big-endian octet strings and integers (RFC 8017 section 4, I2OSP / OS2IP) and the
/// small number-theoretic helpers the blind RSA algorithms use.
/// </summary>
/// <remarks>
/// Exponentiation uses BouncyCastle's integers (its Montgomery exponentiation is about twice as fast as .NET's here);
/// products, remainders, GCDs and inverses use <see cref="NetInteger"/>, which does them an order of magnitude faster.
/// </remarks>
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
    public static bool IsCoprime(NetInteger a, NetInteger b) => NetInteger.GreatestCommonDivisor(a, b).IsOne;

    /// <summary>OS2IP into a .NET integer.</summary>
    public static NetInteger NetFromBytes(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: true);

    /// <summary>A BouncyCastle integer as a .NET integer.</summary>
    public static NetInteger ToNet(BigInteger value) => new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    /// <summary>A .NET integer as a BouncyCastle integer.</summary>
    public static BigInteger FromNet(NetInteger value) => new(1, value.ToByteArray(isUnsigned: true, isBigEndian: true));

    /// <summary>I2OSP of a non-negative .NET integer into exactly <paramref name="destination"/>.Length bytes.</summary>
    /// <exception cref="CryptographicException">The value is negative or does not fit.</exception>
    public static void ToBytes(NetInteger value, Span<byte> destination)
    {
        int length = value.IsZero ? 0 : value.GetByteCount(isUnsigned: true);
        if (value.Sign < 0 || length > destination.Length)
        {
            throw new CryptographicException("Integer too large for its encoding.");
        }

        destination[..(destination.Length - length)].Clear();
        if (length > 0)
        {
            value.TryWriteBytes(destination[(destination.Length - length)..], out _, isUnsigned: true, isBigEndian: true);
        }
    }

    /// <summary>The inverse of <paramref name="a"/> modulo <paramref name="modulus"/>, or null if there is none (extended Euclid).</summary>
    public static NetInteger? ModInverse(NetInteger a, NetInteger modulus)
    {
        NetInteger t = NetInteger.Zero, nextT = NetInteger.One, r = modulus, nextR = a % modulus;
        while (!nextR.IsZero)
        {
            var q = NetInteger.DivRem(r, nextR, out var remainder);
            (t, nextT) = (nextT, t - (q * nextT));
            (r, nextR) = (nextR, remainder);
        }

        if (!r.IsOne)
        {
            return null;
        }

        return t.Sign < 0 ? t + modulus : t;
    }
}
