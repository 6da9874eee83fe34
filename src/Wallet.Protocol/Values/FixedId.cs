namespace Wallet.Protocol;

/// <summary>Shared validation and formatting for the 32-byte identifiers (<see cref="KeysetId"/>, <see cref="CoinId"/>).</summary>
internal static class FixedId
{
    public const int Length = 32;

    public static byte[] Copy(ReadOnlySpan<byte> bytes, string paramName)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"An identifier is exactly {Length} bytes.", paramName);
        }

        return bytes.ToArray();
    }

    public static byte[] ParseHex(string hex, string paramName)
    {
        ArgumentNullException.ThrowIfNull(hex, paramName);
        if (hex.Length != Length * 2)
        {
            throw new ArgumentException($"An identifier is exactly {Length * 2} hexadecimal digits.", paramName);
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new ArgumentException("An identifier is hexadecimal.", paramName);
        }
    }

    /// <summary>
    /// Hashes every byte with the per-process randomised <see cref="HashCode"/>: ids arrive from the network, so a
    /// hash over a fixed prefix would let crafted ids collide and turn set lookups quadratic.
    /// </summary>
    public static int Hash(byte[] bytes)
    {
        var hash = default(HashCode);
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}
