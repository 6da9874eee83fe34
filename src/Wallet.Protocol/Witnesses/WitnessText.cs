using System.Globalization;
using System.Text;

namespace Wallet.Protocol.Witnesses;

/// <summary>The line syntax the witness bodies share: newline-terminated ASCII lines, decimal sizes and base64 hashes.</summary>
internal static class WitnessText
{
    /// <summary>Base64 of a 32-byte hash, with padding: 44 characters.</summary>
    private const int HashBase64Length = 44;

    /// <summary>Reads the line starting at <paramref name="position"/> (without its newline); false if no newline ends it.</summary>
    public static bool TryReadLine(ReadOnlySpan<byte> body, ref int position, out ReadOnlySpan<byte> line)
    {
        int end = body[position..].IndexOf((byte)'\n');
        if (end < 0)
        {
            line = default;
            return false;
        }

        line = body.Slice(position, end);
        position += end + 1;
        return true;
    }

    /// <summary>Parses ASCII decimal digits with no leading zero ("0" alone for zero) into a <see cref="ulong"/>.</summary>
    public static bool TryParseSize(ReadOnlySpan<byte> digits, out ulong size)
    {
        size = 0;
        if (digits.IsEmpty || (digits.Length > 1 && digits[0] == (byte)'0'))
        {
            return false;
        }

        foreach (byte b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }

    /// <summary>Decodes the canonical padded base64 of a 32-byte hash; any other text fails.</summary>
    public static bool TryParseHash(ReadOnlySpan<byte> line, out MerkleHash hash)
    {
        hash = default;
        if (line.Length != HashBase64Length || !Ascii.IsValid(line))
        {
            return false;
        }

        string text = Encoding.ASCII.GetString(line);
        Span<byte> bytes = stackalloc byte[MerkleHash.Length + 2];
        if (!Convert.TryFromBase64String(text, bytes, out int written) || written != MerkleHash.Length)
        {
            return false;
        }

        hash = new MerkleHash(bytes[..MerkleHash.Length]);

        // .NET's decoder skips whitespace and ignores non-zero padding bits: only the canonical form round-trips.
        return string.Equals(Convert.ToBase64String(bytes[..MerkleHash.Length]), text, StringComparison.Ordinal);
    }

    /// <summary>Writes a size in ASCII decimal.</summary>
    public static string FormatSize(ulong size) => size.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes a hash in padded base64.</summary>
    public static string FormatHash(MerkleHash hash) => Convert.ToBase64String(hash.ToArray());
}
