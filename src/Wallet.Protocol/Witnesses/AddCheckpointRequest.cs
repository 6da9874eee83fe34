using System.Text;
using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>
/// The body of a witness's <c>add-checkpoint</c> call: the size of the checkpoint the submitter believes the witness
/// last cosigned, a consistency proof from that size, and the new signed checkpoint.
/// </summary>
/// <remarks>
/// C2SP tlog-witness, "add-checkpoint". The body is the line <c>old &lt;size&gt;</c> (ASCII decimal, no leading zero),
/// zero to 63 lines each holding one proof hash in padded base64, an empty line, then the signed checkpoint note.
/// Every line ends in U+000A. <see cref="Parse(ReadOnlySpan{byte})"/> also refuses an old size above the checkpoint's
/// size (the spec's "400 Bad Request"); the proof and the signatures are checked by the <see cref="Witness"/>.
/// </remarks>
public sealed class AddCheckpointRequest
{
    /// <summary>The most proof lines a request may carry (the spec's limit).</summary>
    public const int MaxProofLines = 63;

    /// <summary>The largest body accepted, in bytes: a note of <see cref="SignedNote.MaxEncodedLength"/> and the lines before it.</summary>
    public const int MaxEncodedLength = SignedNote.MaxEncodedLength + 4096;

    private static readonly byte[] s_oldPrefix = "old "u8.ToArray();

    private AddCheckpointRequest(ConsistencyProof proof, SignedNote note, Checkpoint checkpoint) =>
        (Proof, Note, Checkpoint) = (proof, note, checkpoint);

    /// <summary>The tree size the submitter believes the witness last cosigned for the origin; 0 for none.</summary>
    public ulong OldSize => Proof.OldSize;

    /// <summary>The consistency proof from <see cref="OldSize"/> to the checkpoint's size, not yet verified.</summary>
    public ConsistencyProof Proof { get; }

    /// <summary>The signed checkpoint note as submitted, its signatures not yet verified.</summary>
    public SignedNote Note { get; }

    /// <summary>The checkpoint the note's text holds; to be trusted only once the log's signature has been verified.</summary>
    public Checkpoint Checkpoint { get; }

    /// <summary>Creates a request, as a log (or a test) sends it to a witness.</summary>
    /// <param name="proof">The consistency proof from the witness's size to the checkpoint's size (empty from size 0).</param>
    /// <param name="note">The signed checkpoint.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> or <paramref name="note"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The note's text is not a checkpoint, the proof does not end at its size, or the proof has more than <see cref="MaxProofLines"/> hashes.</exception>
    public static AddCheckpointRequest Create(ConsistencyProof proof, SignedNote note)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(note);
        Checkpoint checkpoint;
        try
        {
            checkpoint = Checkpoint.Parse(note.Text);
        }
        catch (NoteFormatException e)
        {
            throw new ArgumentException("The note's text is not a checkpoint.", nameof(note), e);
        }

        if (proof.NewSize != checkpoint.TreeSize)
        {
            throw new ArgumentException("The consistency proof ends at the checkpoint's size.", nameof(proof));
        }

        if (proof.Path.Length > MaxProofLines)
        {
            throw new ArgumentException($"A request carries at most {MaxProofLines} proof hashes.", nameof(proof));
        }

        return new AddCheckpointRequest(proof, note, checkpoint);
    }

    /// <summary>Parses a request body as received by a witness.</summary>
    /// <param name="body">The UTF-8 body.</param>
    /// <returns>The request, its proof and signatures not yet verified.</returns>
    /// <exception cref="WitnessFormatException">
    /// The body is too long, its old size line or a proof line is malformed, there are more than <see cref="MaxProofLines"/>
    /// proof lines, the note or its checkpoint text is malformed, or the old size exceeds the checkpoint's size.
    /// </exception>
    public static AddCheckpointRequest Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxEncodedLength)
        {
            throw new WitnessFormatException($"An add-checkpoint body is at most {MaxEncodedLength} bytes.");
        }

        int position = 0;
        if (!WitnessText.TryReadLine(body, ref position, out ReadOnlySpan<byte> first) ||
            !first.StartsWith(s_oldPrefix) || !WitnessText.TryParseSize(first[s_oldPrefix.Length..], out ulong oldSize))
        {
            throw new WitnessFormatException("An add-checkpoint body starts with 'old <size>' in decimal with no leading zero.");
        }

        var path = new List<MerkleHash>();
        while (true)
        {
            if (!WitnessText.TryReadLine(body, ref position, out ReadOnlySpan<byte> line))
            {
                throw new WitnessFormatException("An add-checkpoint body has an empty line before the checkpoint.");
            }

            if (line.IsEmpty)
            {
                break;
            }

            if (path.Count == MaxProofLines)
            {
                throw new WitnessFormatException($"An add-checkpoint body holds at most {MaxProofLines} proof lines.");
            }

            if (!WitnessText.TryParseHash(line, out MerkleHash hash))
            {
                throw new WitnessFormatException($"Proof line {path.Count + 1} is not the padded base64 of a 32-byte hash.");
            }

            path.Add(hash);
        }

        SignedNote note;
        Checkpoint checkpoint;
        try
        {
            note = SignedNote.Parse(body[position..]);
            checkpoint = Checkpoint.Parse(note.Text);
        }
        catch (NoteFormatException e)
        {
            throw new WitnessFormatException($"The submitted checkpoint is malformed: {e.Message}", e);
        }

        if (oldSize > checkpoint.TreeSize)
        {
            throw new WitnessFormatException("The old size exceeds the checkpoint's size.");
        }

        return new AddCheckpointRequest(new ConsistencyProof(oldSize, checkpoint.TreeSize, [.. path]), note, checkpoint);
    }

    /// <summary>Returns the body in its text form.</summary>
    /// <returns>The old size line, the proof lines, an empty line and the note.</returns>
    public string Format()
    {
        var builder = new StringBuilder("old ").Append(WitnessText.FormatSize(OldSize)).Append('\n');
        foreach (MerkleHash hash in Proof.Path)
        {
            builder.Append(WitnessText.FormatHash(hash)).Append('\n');
        }

        return builder.Append('\n').Append(Note.Format()).ToString();
    }

    /// <summary>Returns the body as UTF-8 bytes, the form posted to <c>&lt;submission prefix&gt;/add-checkpoint</c>.</summary>
    /// <returns>A new array.</returns>
    public byte[] Encode() => Encoding.UTF8.GetBytes(Format());

    /// <summary>Describes the request without its proof hashes or signatures.</summary>
    /// <returns><c>AddCheckpointRequest(old=…, origin=…, size=…)</c>.</returns>
    public override string ToString() => $"AddCheckpointRequest(old={OldSize}, origin={Checkpoint.Origin}, size={Checkpoint.TreeSize})";
}
