using System.Text;

namespace Wallet.Crypto.Notes;

/// <summary>
/// A text signed by one or more keys, in the C2SP signed-note format: the text (ending in a newline), a blank line,
/// then one signature line per signature.
/// </summary>
/// <remarks>
/// C2SP signed-note v1.0.0, "Format". The text must be ignored until a trusted key's signature over it has been
/// verified with <see cref="NoteVerifierSet.Verify"/>. Parsing is strict: valid UTF-8, no control character other
/// than newline, at most <see cref="MaxSignatures"/> signatures and <see cref="MaxEncodedLength"/> bytes, canonical
/// base64, key names without spaces or '+'; anything else throws <see cref="NoteFormatException"/>.
/// </remarks>
public sealed class SignedNote : IEquatable<SignedNote>
{
    /// <summary>The most signature lines a note may hold; the spec asks verifiers to accept at least 16.</summary>
    public const int MaxSignatures = 100;

    /// <summary>The largest note accepted, in UTF-8 bytes.</summary>
    public const int MaxEncodedLength = 256 * 1024;

    /// <summary>The start of every signature line: em dash (U+2014) and a space.</summary>
    internal const string SignaturePrefix = "\u2014 ";

    private SignedNote(string text, ImmutableArray<NoteSignature> signatures) => (Text, Signatures) = (text, signatures);

    /// <summary>The signed text, including its final newline and excluding the blank line that follows it.</summary>
    public string Text { get; }

    /// <summary>The signature lines, in order. None is verified until a <see cref="NoteVerifierSet"/> says so.</summary>
    public ImmutableArray<NoteSignature> Signatures { get; }

    /// <summary>Assembles a note from its text and signatures.</summary>
    /// <param name="text">The text: non-empty, ending in a newline, with no control character other than newline.</param>
    /// <param name="signatures">One to <see cref="MaxSignatures"/> signatures.</param>
    /// <returns>The note.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="signatures"/> is (or holds) <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The text is not a note text, the count of signatures is out of range, or the note would exceed <see cref="MaxEncodedLength"/>.</exception>
    public static SignedNote Create(string text, IEnumerable<NoteSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signatures);
        if (!NoteSyntax.IsValidText(text))
        {
            throw new ArgumentException("A note text is non-empty, ends in a newline and holds no control character other than newline.", nameof(text));
        }

        ImmutableArray<NoteSignature> list = [.. signatures];
        if (list.Any(s => s is null))
        {
            throw new ArgumentNullException(nameof(signatures), "A signature is null.");
        }

        if (list.Length is 0 or > MaxSignatures)
        {
            throw new ArgumentException($"A note holds 1 to {MaxSignatures} signatures.", nameof(signatures));
        }

        var note = new SignedNote(text, list);
        if (NoteSyntax.StrictUtf8.GetByteCount(note.Format()) > MaxEncodedLength)
        {
            throw new ArgumentException($"A note is at most {MaxEncodedLength} bytes.", nameof(signatures));
        }

        return note;
    }

    /// <summary>Parses a note from its UTF-8 bytes, as received from the network or disk.</summary>
    /// <param name="encoded">The note.</param>
    /// <returns>The note, its signatures not yet verified.</returns>
    /// <exception cref="NoteFormatException">The bytes are not a well-formed signed note.</exception>
    public static SignedNote Parse(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new NoteFormatException($"The note is longer than {MaxEncodedLength} bytes.");
        }

        if (!System.Text.Unicode.Utf8.IsValid(encoded))
        {
            throw new NoteFormatException("The note is not valid UTF-8.");
        }

        return ParseCore(Encoding.UTF8.GetString(encoded));
    }

    /// <summary>Parses a note from a string.</summary>
    /// <param name="encoded">The note.</param>
    /// <returns>The note, its signatures not yet verified.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="encoded"/> is <see langword="null"/>.</exception>
    /// <exception cref="NoteFormatException">The string is not a well-formed signed note.</exception>
    public static SignedNote Parse(string encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (!NoteSyntax.IsWellFormed(encoded))
        {
            throw new NoteFormatException("The note holds a lone surrogate, so it has no UTF-8 encoding.");
        }

        if (NoteSyntax.StrictUtf8.GetByteCount(encoded) > MaxEncodedLength)
        {
            throw new NoteFormatException($"The note is longer than {MaxEncodedLength} bytes.");
        }

        return ParseCore(encoded);
    }

    /// <summary>Returns a note with the same text and <paramref name="signature"/> appended (a cosignature, say).</summary>
    /// <param name="signature">The signature to add.</param>
    /// <returns>A new note.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signature"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The note would exceed <see cref="MaxSignatures"/> or <see cref="MaxEncodedLength"/>.</exception>
    public SignedNote AddSignature(NoteSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return Create(Text, Signatures.Add(signature));
    }

    /// <summary>Returns the note in its text form.</summary>
    /// <returns>The text, a blank line, and one line per signature.</returns>
    public string Format()
    {
        var builder = new StringBuilder(Text).Append('\n');
        foreach (NoteSignature signature in Signatures)
        {
            builder.Append(signature.ToString()).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Returns the note as UTF-8 bytes, the form sent over the network.</summary>
    /// <returns>A new array.</returns>
    public byte[] Encode() => NoteSyntax.StrictUtf8.GetBytes(Format());

    /// <inheritdoc />
    public bool Equals(SignedNote? other) =>
        other is not null && string.Equals(other.Text, Text, StringComparison.Ordinal) && other.Signatures.SequenceEqual(Signatures);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SignedNote);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <summary>Returns the note in its text form, as <see cref="Format"/> does.</summary>
    /// <returns>The formatted note.</returns>
    public override string ToString() => Format();

    private static SignedNote ParseCore(string message)
    {
        if (!NoteSyntax.HasNoControlCharacters(message))
        {
            throw new NoteFormatException("The note holds a control character other than newline.");
        }

        // The text ends at the last blank line; signature lines are never empty.
        int split = message.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new NoteFormatException("The note has no blank line between its text and its signatures.");
        }

        string text = message[..(split + 1)];
        ReadOnlySpan<char> block = message.AsSpan(split + 2);
        if (block.IsEmpty)
        {
            throw new NoteFormatException("The note has no signature.");
        }

        if (block[^1] != '\n')
        {
            throw new NoteFormatException("The note's last signature line does not end in a newline.");
        }

        var signatures = ImmutableArray.CreateBuilder<NoteSignature>();
        foreach (Range range in block[..^1].Split('\n'))
        {
            if (signatures.Count == MaxSignatures)
            {
                throw new NoteFormatException($"The note has more than {MaxSignatures} signatures.");
            }

            ReadOnlySpan<char> line = block[range];
            if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal) ||
                NoteSignature.TryParseLine(line[SignaturePrefix.Length..]) is not { } signature)
            {
                throw new NoteFormatException($"Signature line {signatures.Count + 1} is not '— <name> <base64(key ID ‖ signature)>'.");
            }

            signatures.Add(signature);
        }

        return new SignedNote(text, signatures.ToImmutable());
    }
}
