using System.Runtime.InteropServices;

namespace Wallet.Crypto.Seeds;

/// <summary>
/// The human-friendly backup code for a 32-byte seed: 52 Crockford base32 data characters (256 seed bits followed
/// by a 4-bit format version), then 4 check characters, shown in groups of four separated by hyphens.
/// </summary>
/// <remarks>
/// Specified in <c>docs/derivation.md</c>, section "Backup code". Every two characters form one 10-bit symbol of a
/// Reed-Solomon code over GF(2^10) (field polynomial x^10 + x^3 + 1) with generator (x - 1)(x - α): 26 data symbols and
/// 2 check symbols. Its minimum distance is 3, so any error confined to two symbols (any two substitutions, any swap
/// of adjacent characters, any error within three consecutive characters) is detected. The arithmetic is
/// branch-free and table-free, so its timing does not depend on the seed.
/// </remarks>
internal static class BackupCode
{
    internal const int DataCharacters = 52;
    internal const int CheckCharacters = 4;
    internal const int Characters = DataCharacters + CheckCharacters;
    internal const int GroupSize = 4;
    internal const int FormattedLength = Characters + (Characters / GroupSize) - 1;
    internal const int Version = 1;

    /// <summary>Number of 10-bit symbols in a code (two characters each).</summary>
    internal const int Symbols = Characters / 2;

    /// <summary>Number of 10-bit data symbols.</summary>
    internal const int DataSymbols = DataCharacters / 2;

    /// <summary>x^10 + x^3 + 1, a primitive polynomial over GF(2): α = x generates all 1023 non-zero field elements.</summary>
    internal const int FieldPolynomial = 0x409;

    /// <summary>The weighted-sum checksum of the never-released format version 0, kept only to name such codes.</summary>
    private const int LegacyModulus = 1_048_573;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    internal static string Encode(ReadOnlySpan<byte> seed)
    {
        Span<byte> characters = stackalloc byte[Characters];
        Span<int> symbols = stackalloc int[Symbols];
        Span<char> text = stackalloc char[FormattedLength];
        try
        {
            ToCharacters(seed, characters);
            ToSymbols(characters[..DataCharacters], symbols[..DataSymbols]);
            ComputeCheckSymbols(symbols[..DataSymbols], out int high, out int low);
            characters[52] = (byte)(high >> 5);
            characters[53] = (byte)(high & 31);
            characters[54] = (byte)(low >> 5);
            characters[55] = (byte)(low & 31);

            int at = 0;
            for (int i = 0; i < Characters; i++)
            {
                if (i > 0 && i % GroupSize == 0)
                {
                    text[at++] = '-';
                }

                text[at++] = Alphabet[characters[i]];
            }

            return new string(text);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(characters);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(symbols));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(text));
        }
    }

    internal static SeedFormatError TryDecode(ReadOnlySpan<char> code, Span<byte> seed, out int position)
    {
        position = -1;
        Span<byte> characters = stackalloc byte[Characters];
        Span<int> symbols = stackalloc int[Symbols];
        try
        {
            int count = 0;
            for (int i = 0; i < code.Length; i++)
            {
                char c = code[i];
                if (c == '-' || char.IsWhiteSpace(c))
                {
                    continue;
                }

                int value = SymbolValue(c);
                if (value < 0)
                {
                    position = i;
                    return SeedFormatError.InvalidCharacter;
                }

                if (count == Characters)
                {
                    return SeedFormatError.WrongLength;
                }

                characters[count++] = (byte)value;
            }

            if (count == 0)
            {
                return SeedFormatError.Empty;
            }

            if (count != Characters)
            {
                return SeedFormatError.WrongLength;
            }

            ToSymbols(characters, symbols);
            int version = characters[DataCharacters - 1] & 0x0F;
            if (!IsCodeword(symbols))
            {
                // A version-0 code (a pre-release format with a weaker checksum) is named as such instead of as a typo.
                return version == 0 && IsLegacyCode(characters) ? SeedFormatError.UnsupportedVersion : SeedFormatError.ChecksumMismatch;
            }

            if (version != Version)
            {
                return SeedFormatError.UnsupportedVersion;
            }

            FromCharacters(characters[..DataCharacters], seed);
            return SeedFormatError.None;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(characters);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(symbols));
        }
    }

    internal static int SymbolValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        'O' or 'o' => 0,
        'I' or 'i' or 'L' or 'l' => 1,
        _ when char.IsAsciiLetter(c) => Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal),
        _ => -1,
    };

    /// <summary>Product in GF(2^10) modulo <see cref="FieldPolynomial"/>: shift-and-add with masks instead of branches.</summary>
    internal static int Multiply(int a, int b)
    {
        int product = 0;
        for (int bit = 9; bit >= 0; bit--)
        {
            product <<= 1;
            product ^= -(product >> 10) & FieldPolynomial;
            product ^= -((b >> bit) & 1) & a;
        }

        return product;
    }

    /// <summary>
    /// The two check symbols of systematic encoding: the remainder of m(x)·x^2 divided by g(x) = (x + 1)(x + α) =
    /// x^2 + (α + 1)x + α, where m(x) has the data symbols as coefficients, the first symbol the highest power.
    /// </summary>
    internal static void ComputeCheckSymbols(ReadOnlySpan<int> dataSymbols, out int high, out int low)
    {
        const int G1 = 3; // α + 1
        const int G0 = 2; // α
        int r1 = 0;
        int r0 = 0;
        foreach (int symbol in dataSymbols)
        {
            int feedback = symbol ^ r1;
            r1 = r0 ^ Multiply(feedback, G1);
            r0 = Multiply(feedback, G0);
        }

        high = r1;
        low = r0;
    }

    /// <summary>Whether c(1) = 0 and c(α) = 0, that is whether g(x) divides the received word c(x).</summary>
    internal static bool IsCodeword(ReadOnlySpan<int> symbols)
    {
        int atOne = 0;
        int atAlpha = 0;
        foreach (int symbol in symbols)
        {
            atOne ^= symbol;
            atAlpha = Multiply(atAlpha, 2) ^ symbol;
        }

        return (atOne | atAlpha) == 0;
    }

    private static bool IsLegacyCode(ReadOnlySpan<byte> characters)
    {
        long sum = 0;
        for (int i = 0; i < DataCharacters; i++)
        {
            sum += (i + 1) * (long)characters[i];
        }

        int stored = 0;
        for (int i = DataCharacters; i < Characters; i++)
        {
            stored = (stored << 5) | characters[i];
        }

        return stored == sum % LegacyModulus;
    }

    private static void ToSymbols(ReadOnlySpan<byte> characters, Span<int> symbols)
    {
        for (int i = 0; i < symbols.Length; i++)
        {
            symbols[i] = (characters[2 * i] << 5) | characters[(2 * i) + 1];
        }
    }

    // 256 seed bits, most significant first, then the 4-bit version: 260 bits = 52 characters of 5 bits.
    private static void ToCharacters(ReadOnlySpan<byte> seed, Span<byte> characters)
    {
        int leftover = Regroup(seed, 8, characters[..(DataCharacters - 1)], 5);

        // One seed bit is left over; the version fills the remaining four bits of the last data character.
        characters[DataCharacters - 1] = (byte)(((leftover << 4) | Version) & 31);
    }

    // The first 256 of the 260 bits are the seed; the version's four bits are left over.
    private static void FromCharacters(ReadOnlySpan<byte> characters, Span<byte> seed) =>
        _ = Regroup(characters, 5, seed, 8);

    /// <summary>
    /// Reads <paramref name="input"/> as one big-endian bit string of <paramref name="inputBits"/>-bit groups and
    /// writes it as <paramref name="outputBits"/>-bit groups until <paramref name="output"/> is full.
    /// </summary>
    /// <returns>The bits that did not fill a whole output group, right-aligned.</returns>
    private static int Regroup(ReadOnlySpan<byte> input, int inputBits, Span<byte> output, int outputBits)
    {
        int buffer = 0;
        int bits = 0;
        int at = 0;
        foreach (byte group in input)
        {
            buffer = (buffer << inputBits) | group;
            bits += inputBits;
            while (bits >= outputBits && at < output.Length)
            {
                bits -= outputBits;
                output[at++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }

        return buffer;
    }
}
