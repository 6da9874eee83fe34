using System.Text;
using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>
/// Two checkpoints of one log, both signed by it, that cannot both be true: the log showed different views to
/// different parties (a split view). Anyone holding the log's key can check it with <see cref="Verify"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="SplitViewKind.SameSizeDifferentRoots"/> is conclusive on its own. <see cref="SplitViewKind.ConsistencyNotProven"/>
/// holds the consistency proof that was offered from the smaller to the larger tree and failed: conclusive when the
/// log itself served that proof, otherwise a reason to ask the log for one and compare.
/// </para>
/// <para>
/// Text form (<see cref="Format"/>), every line ending in U+000A: <c>split-view/v1</c>; <c>first &lt;base64 of the
/// first note&gt;</c>; <c>second &lt;base64 of the second note&gt;</c>; and, for differing sizes only,
/// <c>proof &lt;base64 of the canonical consistency proof encoding&gt;</c>. The first note is the smaller tree.
/// </para>
/// </remarks>
public sealed class SplitViewEvidence : IEquatable<SplitViewEvidence>
{
    /// <summary>The largest serialised evidence accepted, in bytes.</summary>
    public const int MaxEncodedLength = 4 * SignedNote.MaxEncodedLength;

    private const string Header = "split-view/v1";

    private SplitViewEvidence(SignedNote first, Checkpoint firstCheckpoint, SignedNote second, Checkpoint secondCheckpoint, ConsistencyProof? proof) =>
        (First, FirstCheckpoint, Second, SecondCheckpoint, Proof) = (first, firstCheckpoint, second, secondCheckpoint, proof);

    /// <summary>The first signed checkpoint: the smaller tree, or for equal sizes the one given first.</summary>
    public SignedNote First { get; }

    /// <summary>The checkpoint <see cref="First"/> holds.</summary>
    public Checkpoint FirstCheckpoint { get; }

    /// <summary>The second signed checkpoint.</summary>
    public SignedNote Second { get; }

    /// <summary>The checkpoint <see cref="Second"/> holds.</summary>
    public Checkpoint SecondCheckpoint { get; }

    /// <summary>For differing sizes, the consistency proof from the first to the second size that fails; otherwise <see langword="null"/>.</summary>
    public ConsistencyProof? Proof { get; }

    /// <summary>The log's origin.</summary>
    public string Origin => FirstCheckpoint.Origin;

    /// <summary>How the two checkpoints contradict each other.</summary>
    public SplitViewKind Kind => Proof is null ? SplitViewKind.SameSizeDifferentRoots : SplitViewKind.ConsistencyNotProven;

    /// <summary>
    /// Compares two checkpoints of a log, as a client that received both does, and keeps them as evidence if both are
    /// signed by the log and cannot both be true.
    /// </summary>
    /// <param name="first">One signed checkpoint.</param>
    /// <param name="second">Another signed checkpoint.</param>
    /// <param name="logKey">The log's key.</param>
    /// <param name="proof">For differing sizes, the consistency proof between them as received from the log; ignored for equal sizes.</param>
    /// <param name="evidence">The evidence, when the method returns <see langword="true"/>.</param>
    /// <returns>
    /// <see langword="true"/> if both notes verify with <paramref name="logKey"/>, hold checkpoints of one origin, and either have one
    /// size and two roots, or differ in size and <paramref name="proof"/> (from the smaller size to the larger) does not verify;
    /// otherwise <see langword="false"/>, including for notes that are not checkpoints.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="first"/>, <paramref name="second"/> or <paramref name="logKey"/> is <see langword="null"/>.</exception>
    public static bool TryCreate(SignedNote first, SignedNote second, Ed25519NoteVerifier logKey, ConsistencyProof? proof, [NotNullWhen(true)] out SplitViewEvidence? evidence)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(logKey);
        evidence = null;
        var keys = new NoteVerifierSet(logKey);
        if (!TryOpen(first, keys, out SignedNote? a, out Checkpoint? ca) || !TryOpen(second, keys, out SignedNote? b, out Checkpoint? cb))
        {
            return false;
        }

        if (ca.TreeSize > cb.TreeSize)
        {
            (a, ca, b, cb) = (b, cb, a, ca);
        }

        ConsistencyProof? kept = ca.TreeSize == cb.TreeSize ? null : proof;
        if (ca.TreeSize != cb.TreeSize && kept is null)
        {
            return false;
        }

        if (!Contradict(ca, cb, kept))
        {
            return false;
        }

        evidence = new SplitViewEvidence(a, ca, b, cb, kept);
        return true;
    }

    /// <summary>Checks the evidence: both checkpoints are signed by the log's key and contradict each other.</summary>
    /// <param name="logKey">The log's key.</param>
    /// <returns><see langword="true"/> if the evidence holds; <see langword="false"/> otherwise.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="logKey"/> is <see langword="null"/>.</exception>
    public bool Verify(Ed25519NoteVerifier logKey)
    {
        ArgumentNullException.ThrowIfNull(logKey);
        var keys = new NoteVerifierSet(logKey);
        return keys.Verify(First).IsVerified && keys.Verify(Second).IsVerified && Contradict(FirstCheckpoint, SecondCheckpoint, Proof);
    }

    /// <summary>Parses serialised evidence; the signatures are not checked until <see cref="Verify"/>.</summary>
    /// <param name="encoded">The UTF-8 text form.</param>
    /// <returns>The evidence.</returns>
    /// <exception cref="WitnessFormatException">
    /// The text is not in the form, a note or checkpoint or proof in it is malformed, or the two checkpoints do not contradict each other.
    /// </exception>
    public static SplitViewEvidence Parse(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new WitnessFormatException($"Split-view evidence is at most {MaxEncodedLength} bytes.");
        }

        int position = 0;
        if (!WitnessText.TryReadLine(encoded, ref position, out ReadOnlySpan<byte> header) || !header.SequenceEqual(Encoding.ASCII.GetBytes(Header)))
        {
            throw new WitnessFormatException($"Split-view evidence starts with the line '{Header}'.");
        }

        (SignedNote first, Checkpoint ca) = ReadNote(encoded, ref position, "first ");
        (SignedNote second, Checkpoint cb) = ReadNote(encoded, ref position, "second ");
        ConsistencyProof? proof = null;
        if (position < encoded.Length)
        {
            byte[] bytes = ReadBase64Line(encoded, ref position, "proof ");
            if (!ConsistencyProof.TryDecode(bytes, out proof))
            {
                throw new WitnessFormatException("Split-view evidence's proof is not a canonical consistency proof.");
            }
        }

        if (position != encoded.Length)
        {
            throw new WitnessFormatException("Split-view evidence has lines after its proof.");
        }

        if ((ca.TreeSize == cb.TreeSize) != (proof is null) || ca.TreeSize > cb.TreeSize || !Contradict(ca, cb, proof))
        {
            throw new WitnessFormatException("The checkpoints in split-view evidence do not contradict each other.");
        }

        return new SplitViewEvidence(first, ca, second, cb, proof);
    }

    /// <summary>Returns the evidence in its text form.</summary>
    /// <returns>The header, note and proof lines.</returns>
    public string Format()
    {
        var builder = new StringBuilder(Header).Append('\n')
            .Append("first ").Append(Convert.ToBase64String(First.Encode())).Append('\n')
            .Append("second ").Append(Convert.ToBase64String(Second.Encode())).Append('\n');
        if (Proof is not null)
        {
            builder.Append("proof ").Append(Convert.ToBase64String(Proof.Encode())).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Returns the evidence as UTF-8 bytes.</summary>
    /// <returns>A new array.</returns>
    public byte[] Encode() => Encoding.ASCII.GetBytes(Format());

    /// <inheritdoc />
    public bool Equals(SplitViewEvidence? other) =>
        other is not null && other.First.Equals(First) && other.Second.Equals(Second) && Equals(other.Proof, Proof);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SplitViewEvidence);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(First, Second);

    /// <summary>Describes the evidence.</summary>
    /// <returns><c>SplitViewEvidence(kind, origin, size/root vs size/root)</c>.</returns>
    public override string ToString() =>
        $"SplitViewEvidence({Kind}, {Origin}, {FirstCheckpoint.TreeSize}/{FirstCheckpoint.RootHash} vs {SecondCheckpoint.TreeSize}/{SecondCheckpoint.RootHash})";

    /// <summary>Evidence from a witness, which has verified both notes with the log's key and knows the stored tree is not the larger.</summary>
    internal static SplitViewEvidence FromVerified(SignedNote stored, Checkpoint storedCheckpoint, SignedNote submitted, Checkpoint submittedCheckpoint, ConsistencyProof proof) =>
        new(stored, storedCheckpoint, submitted, submittedCheckpoint, storedCheckpoint.TreeSize == submittedCheckpoint.TreeSize ? null : proof);

    private static bool Contradict(Checkpoint a, Checkpoint b, ConsistencyProof? proof)
    {
        if (!string.Equals(a.Origin, b.Origin, StringComparison.Ordinal))
        {
            return false;
        }

        if (a.TreeSize == b.TreeSize)
        {
            return proof is null && a.RootHash != b.RootHash;
        }

        return proof is not null && proof.OldSize == a.TreeSize && proof.NewSize == b.TreeSize && !proof.Verify(a.RootHash, b.RootHash);
    }

    private static bool TryOpen(SignedNote note, NoteVerifierSet keys, [NotNullWhen(true)] out SignedNote? logNote, [NotNullWhen(true)] out Checkpoint? checkpoint)
    {
        (logNote, checkpoint) = (null, null);
        NoteVerificationResult result = keys.Verify(note);
        if (!result.IsVerified)
        {
            return false;
        }

        try
        {
            checkpoint = Checkpoint.Parse(note.Text);
        }
        catch (NoteFormatException)
        {
            return false;
        }

        // Keep only the log's lines: the evidence is about what the log signed.
        logNote = SignedNote.Create(note.Text, result.VerifiedSignatures);
        return true;
    }

    private static (SignedNote Note, Checkpoint Checkpoint) ReadNote(ReadOnlySpan<byte> encoded, ref int position, string label)
    {
        byte[] bytes = ReadBase64Line(encoded, ref position, label);
        try
        {
            SignedNote note = SignedNote.Parse(bytes);
            return (note, Checkpoint.Parse(note.Text));
        }
        catch (NoteFormatException e)
        {
            throw new WitnessFormatException($"Split-view evidence's {label.Trim()} note is malformed: {e.Message}", e);
        }
    }

    private static byte[] ReadBase64Line(ReadOnlySpan<byte> encoded, ref int position, string label)
    {
        if (!WitnessText.TryReadLine(encoded, ref position, out ReadOnlySpan<byte> line) ||
            !line.StartsWith(Encoding.ASCII.GetBytes(label)) || !Ascii.IsValid(line))
        {
            throw new WitnessFormatException($"Split-view evidence lacks its '{label.Trim()}' line.");
        }

        string text = Encoding.ASCII.GetString(line[label.Length..]);
        try
        {
            byte[] bytes = Convert.FromBase64String(text);
            return string.Equals(Convert.ToBase64String(bytes), text, StringComparison.Ordinal)
                ? bytes
                : throw new WitnessFormatException($"Split-view evidence's '{label.Trim()}' line is not canonical base64.");
        }
        catch (FormatException e) when (e is not WitnessFormatException)
        {
            throw new WitnessFormatException($"Split-view evidence's '{label.Trim()}' line is not base64.", e);
        }
    }
}
