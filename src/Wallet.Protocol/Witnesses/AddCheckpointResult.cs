using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>The outcome of <see cref="Witness.AddCheckpointAsync"/>: a cosignature, or why there is none.</summary>
/// <remarks>
/// C2SP tlog-witness, "add-checkpoint". <see cref="HttpStatusCode"/> and <see cref="FormatBody"/> give the answer a
/// witness server sends: the cosignature lines, the witness's tree size for <see cref="AddCheckpointStatus.OldSizeMismatch"/>,
/// and an empty body otherwise.
/// </remarks>
public sealed class AddCheckpointResult
{
    private AddCheckpointResult(AddCheckpointStatus status, ImmutableArray<NoteSignature> cosignatures, ulong treeSize, SplitViewEvidence? evidence) =>
        (Status, Cosignatures, TreeSize, Evidence) = (status, cosignatures, treeSize, evidence);

    /// <summary>The outcome.</summary>
    public AddCheckpointStatus Status { get; }

    /// <summary>Whether the checkpoint was cosigned.</summary>
    public bool IsCosigned => Status == AddCheckpointStatus.Cosigned;

    /// <summary>The witness's cosignatures when <see cref="IsCosigned"/>; otherwise empty.</summary>
    public ImmutableArray<NoteSignature> Cosignatures { get; }

    /// <summary>
    /// The size of the latest checkpoint the witness has cosigned for the origin (0 for none): the new size when
    /// cosigned, the size to retry from for <see cref="AddCheckpointStatus.OldSizeMismatch"/>, the size it kept for
    /// the other refusals after the log's signature verified; 0 for an unknown origin or an unverified note.
    /// </summary>
    public ulong TreeSize { get; }

    /// <summary>
    /// For <see cref="AddCheckpointStatus.Fork"/>, and for <see cref="AddCheckpointStatus.InconsistentProof"/> when the
    /// witness held a checkpoint, the two signed checkpoints that cannot both be true; the witness has stored it.
    /// </summary>
    public SplitViewEvidence? Evidence { get; }

    /// <summary>The HTTP status C2SP tlog-witness sets for the outcome: 200, 404, 403, 409 or 422.</summary>
    public int HttpStatusCode => Status switch
    {
        AddCheckpointStatus.Cosigned => 200,
        AddCheckpointStatus.UnknownOrigin => 404,
        AddCheckpointStatus.NotSignedByLog => 403,
        AddCheckpointStatus.InconsistentProof => 422,
        _ => 409,
    };

    /// <summary>Returns the response body: cosignature lines, the tree size line for a size mismatch, or empty.</summary>
    /// <returns>The body text.</returns>
    public string FormatBody() => Status switch
    {
        AddCheckpointStatus.Cosigned => AddCheckpointResponse.FormatCosignatures(Cosignatures),
        AddCheckpointStatus.OldSizeMismatch => AddCheckpointResponse.FormatTreeSize(TreeSize),
        _ => string.Empty,
    };

    /// <summary>Describes the outcome.</summary>
    /// <returns><c>AddCheckpointResult(status, size=…)</c>.</returns>
    public override string ToString() => $"AddCheckpointResult({Status}, size={TreeSize})";

    internal static AddCheckpointResult Cosigned(NoteSignature cosignature, ulong treeSize) =>
        new(AddCheckpointStatus.Cosigned, [cosignature], treeSize, null);

    internal static AddCheckpointResult Refused(AddCheckpointStatus status, ulong treeSize = 0, SplitViewEvidence? evidence = null) =>
        new(status, [], treeSize, evidence);
}
