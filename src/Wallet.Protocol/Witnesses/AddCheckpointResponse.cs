using System.Text;
using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>The bodies a witness answers an <c>add-checkpoint</c> call with, written and read.</summary>
/// <remarks>
/// C2SP tlog-witness, "add-checkpoint": on success ("200") the body is one or more note signature lines, each
/// <c>— &lt;name&gt; &lt;base64&gt;</c> ending in U+000A; on an old size that does not match ("409 Conflict") it is the
/// witness's tree size in ASCII decimal and a newline, with content type <see cref="TreeSizeContentType"/>.
/// </remarks>
public static class AddCheckpointResponse
{
    /// <summary>The content type of a conflict body that carries the witness's tree size.</summary>
    public const string TreeSizeContentType = "text/x.tlog.size";

    /// <summary>Writes a success body: the cosignature lines.</summary>
    /// <param name="cosignatures">The witness's cosignatures; at least one.</param>
    /// <returns>The body.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cosignatures"/> is (or holds) <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="cosignatures"/> is empty.</exception>
    public static string FormatCosignatures(IEnumerable<NoteSignature> cosignatures)
    {
        ArgumentNullException.ThrowIfNull(cosignatures);
        var builder = new StringBuilder();
        foreach (NoteSignature signature in cosignatures)
        {
            ArgumentNullException.ThrowIfNull(signature, nameof(cosignatures));
            builder.Append(signature.ToString()).Append('\n');
        }

        if (builder.Length == 0)
        {
            throw new ArgumentException("A success body holds at least one cosignature.", nameof(cosignatures));
        }

        return builder.ToString();
    }

    /// <summary>
    /// Reads a success body by appending its signature lines to the checkpoint that was submitted, as the spec suggests;
    /// the caller then verifies the witness keys it trusts with a <see cref="NoteVerifierSet"/> (or a <see cref="WitnessPolicy"/>).
    /// </summary>
    /// <param name="checkpoint">The signed checkpoint that was submitted.</param>
    /// <param name="body">The UTF-8 success body.</param>
    /// <returns>The note with the body's lines appended, none of them verified.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="WitnessFormatException">The body is empty, is not newline-terminated signature lines, or the note would hold too many signatures or bytes.</exception>
    public static SignedNote AppendCosignatures(SignedNote checkpoint, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (body.IsEmpty || body[^1] != (byte)'\n' || body.IndexOf("\n\n"u8) >= 0)
        {
            throw new WitnessFormatException("A success body is one or more signature lines, each ending in a newline.");
        }

        if (body.Length > SignedNote.MaxEncodedLength)
        {
            throw new WitnessFormatException($"A success body is at most {SignedNote.MaxEncodedLength} bytes.");
        }

        byte[] note = checkpoint.Encode();
        var combined = new byte[note.Length + body.Length];
        note.CopyTo(combined, 0);
        body.CopyTo(combined.AsSpan(note.Length));
        try
        {
            SignedNote parsed = SignedNote.Parse(combined);

            // With no blank line in the body, the text cannot have moved; this guards the assumption.
            return string.Equals(parsed.Text, checkpoint.Text, StringComparison.Ordinal)
                ? parsed
                : throw new WitnessFormatException("A success body holds only signature lines.");
        }
        catch (NoteFormatException e)
        {
            throw new WitnessFormatException($"A success body is malformed: {e.Message}", e);
        }
    }

    /// <summary>Writes a conflict body: the witness's tree size and a newline.</summary>
    /// <param name="treeSize">The size of the latest checkpoint the witness cosigned for the origin (0 for none).</param>
    /// <returns>The body.</returns>
    public static string FormatTreeSize(ulong treeSize) => WitnessText.FormatSize(treeSize) + "\n";

    /// <summary>Reads a conflict body.</summary>
    /// <param name="body">The UTF-8 body of a "409 Conflict" answer with content type <see cref="TreeSizeContentType"/>.</param>
    /// <returns>The witness's tree size, to retry from.</returns>
    /// <exception cref="WitnessFormatException">The body is not one decimal size with no leading zero followed by a newline.</exception>
    public static ulong ParseTreeSize(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || body[^1] != (byte)'\n' || !WitnessText.TryParseSize(body[..^1], out ulong size))
        {
            throw new WitnessFormatException("A tree size body is a decimal size with no leading zero and a newline.");
        }

        return size;
    }
}
