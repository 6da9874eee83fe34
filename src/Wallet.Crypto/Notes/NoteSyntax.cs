using System.Text;

namespace Wallet.Crypto.Notes;

/// <summary>The lexical rules shared by notes, verifier keys and checkpoints (C2SP signed-note, "Format").</summary>
internal static class NoteSyntax
{
    /// <summary>UTF-8 that throws on lone surrogates instead of writing U+FFFD.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Whether <paramref name="name"/> is a key name: non-empty, no Unicode space, no '+', no control character, well-formed.</summary>
    public static bool IsValidKeyName(string? name)
    {
        if (string.IsNullOrEmpty(name) || !IsWellFormed(name))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (c == '+' || c < ' ' || char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="text"/> is a note text: non-empty, newline-terminated, no control character but newline, well-formed.</summary>
    public static bool IsValidText(string? text) =>
        !string.IsNullOrEmpty(text) && text[^1] == '\n' && HasNoControlCharacters(text) && IsWellFormed(text);

    /// <summary>Whether no character below U+0020 other than newline occurs.</summary>
    public static bool HasNoControlCharacters(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (c < ' ' && c != '\n')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the UTF-16 string has no lone surrogate, so it has a UTF-8 encoding.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Decodes standard base64 (RFC 4648 section 4), accepting only the canonical encoding of the result.</summary>
    /// <remarks>.NET's decoder skips white space and ignores non-zero padding bits; re-encoding rejects both.</remarks>
    public static bool TryDecodeBase64(ReadOnlySpan<char> encoded, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (encoded.Length == 0 || encoded.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[encoded.Length / 4 * 3];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out int written))
        {
            return false;
        }

        byte[] decoded = buffer.AsSpan(0, written).ToArray();
        if (!Convert.ToBase64String(decoded).AsSpan().SequenceEqual(encoded))
        {
            return false;
        }

        bytes = decoded;
        return true;
    }

    /// <summary>The key ID of C2SP signed-note: the first four bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ type ‖ key).</summary>
    public static uint KeyId(string name, byte signatureType, ReadOnlySpan<byte> publicKey)
    {
        byte[] nameBytes = StrictUtf8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = (byte)'\n';
        input[nameBytes.Length + 1] = signatureType;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        return BinaryPrimitives.ReadUInt32BigEndian(hash);
    }
}
