using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Checkpoints;

/// <summary>One round of <see cref="CheckpointCosigner.CosignAsync"/>: the checkpoint, the note with its cosignatures, and each witness's outcome.</summary>
public sealed class CosigningResult
{
    internal CosigningResult(Checkpoint checkpoint, SignedNote note, ImmutableArray<WitnessOutcome> witnesses) =>
        (Checkpoint, Note, Witnesses) = (checkpoint, note, witnesses);

    /// <summary>The checkpoint of the round: the log's size and root when the round started.</summary>
    public Checkpoint Checkpoint { get; }

    /// <summary>The checkpoint note with the scheme's signature and every verified cosignature collected for it so far.</summary>
    public SignedNote Note { get; }

    /// <summary>One outcome per configured witness, in configuration order.</summary>
    public ImmutableArray<WitnessOutcome> Witnesses { get; }

    /// <summary>The names of the witnesses whose cosignature <see cref="Note"/> carries.</summary>
    public ImmutableArray<string> CosignedBy => [.. Witnesses.Where(w => w.Submission.IsCosigned).Select(w => w.Name)];

    /// <summary>Whether a witness refused the checkpoint as a fork or with a failed proof (a split view, or a witness that was fed one).</summary>
    public bool HasRefusal => Witnesses.Any(w => w.Submission.IsRefusal);

    /// <summary>Describes the round.</summary>
    /// <returns>The size and each witness's outcome.</returns>
    public override string ToString() => $"CosigningResult(size={Checkpoint.TreeSize}; {string.Join("; ", Witnesses)})";
}
