using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Wallet.Crypto.Seeds;

/// <summary>
/// The human-friendly backup code for a 32-byte seed: 52 Crockford base32 data symbols (256 seed bits followed
/// by a 4-bit format version), then a 4-symbol checksum, shown in groups of four separated by hyphens.
/// </summary>
/// <remarks>
/// Specified in <c>docs/derivation.md</c>, section "Backup code". The checksum is the weighted sum
/// <c>Σ (i+1)·v_i mod 1048573</c> over the data symbols. Read with the checksum positions weighted
/// <c>-32^3, -32^2, -32, -1</c>, every code satisfies <c>Σ W_i·x_i ≡ 0 (mod p)</c>; since p is a prime larger
/// than any symbol difference and all weights are distinct and non-zero modulo p, every single substitution and
/// every adjacent transposition changes the sum, so neither can go unnoticed.
/// </remarks>
internal static class BackupCode
{
    internal const int DataSymbols = 52;
    internal const int ChecksumSymbols = 4;
    internal const int Symbols = DataSymbols + ChecksumSymbols;
    internal const int GroupSize = 4;
    internal const int FormattedLength = Symbols + (Symbols / GroupSize) - 1;
    internal const int Modulus = 1_048_573; // the largest prime below 2^20
    internal const int Version = 0;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    internal static string Encode(ReadOnlySpan<byte> seed)
    {
        Span<byte> symbols = stackalloc byte[Symbols];
        Span<char> text = stackalloc char[FormattedLength];
        try
        {
            ToSymbols(seed, symbols);
            int checksum = Checksum(symbols[..DataSymbols]);
            for (int i = 0; i < ChecksumSymbols; i++)
            {
                symbols[DataSymbols + i] = (byte)((checksum >> (5 * (ChecksumSymbols - 1 - i))) & 31);
            }

            int at = 0;
            for (int i = 0; i < Symbols; i++)
            {
                if (i > 0 && i % GroupSize == 0)
                {
                    text[at++] = '-';
                }

                text[at++] = Alphabet[symbols[i]];
            }

            return new string(text);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(symbols);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(text));
        }
    }

    internal static SeedFormatError TryDecode(ReadOnlySpan<char> code, Span<byte> seed, out int position)
    {
        position = -1;
        Span<byte> symbols = stackalloc byte[Symbols];
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

                if (count == Symbols)
                {
                    return SeedFormatError.WrongLength;
                }

                symbols[count++] = (byte)value;
            }

            if (count == 0)
            {
                return SeedFormatError.Empty;
            }

            if (count != Symbols)
            {
                return SeedFormatError.WrongLength;
            }

            int stored = 0;
            for (int i = DataSymbols; i < Symbols; i++)
            {
                stored = (stored << 5) | symbols[i];
            }

            // The stored value may exceed the modulus only if it was mistyped; comparing the integers catches that too.
            if (stored != Checksum(symbols[..DataSymbols]))
            {
                return SeedFormatError.ChecksumMismatch;
            }

            if ((symbols[DataSymbols - 1] & 0x0F) != Version)
            {
                return SeedFormatError.UnsupportedVersion;
            }

            FromSymbols(symbols[..DataSymbols], seed);
            return SeedFormatError.None;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(symbols);
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

    internal static int Checksum(ReadOnlySpan<byte> dataSymbols)
    {
        long sum = 0;
        for (int i = 0; i < dataSymbols.Length; i++)
        {
            sum += (i + 1) * (long)dataSymbols[i];
        }

        return (int)(sum % Modulus);
    }

    // 256 seed bits, most significant first, then the 4-bit version: 260 bits = 52 symbols of 5 bits.
    private static void ToSymbols(ReadOnlySpan<byte> seed, Span<byte> symbols)
    {
        int buffer = 0;
        int bits = 0;
        int at = 0;
        foreach (byte b in seed)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                symbols[at++] = (byte)((buffer >> bits) & 31);
                buffer &= (1 << bits) - 1;
            }
        }

        // One seed bit is left over; the version fills the remaining four bits of the last data symbol.
        symbols[at] = (byte)(((buffer << 4) | Version) & 31);
        buffer = 0;
    }

    private static void FromSymbols(ReadOnlySpan<byte> symbols, Span<byte> seed)
    {
        int buffer = 0;
        int bits = 0;
        int at = 0;
        foreach (byte s in symbols)
        {
            buffer = (buffer << 5) | s;
            bits += 5;
            if (bits >= 8 && at < seed.Length)
            {
                bits -= 8;
                seed[at++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }

        buffer = 0;
    }
}
