using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Checkpoints;

/// <summary>The outcome of one <see cref="IWitnessClient.AddCheckpointAsync"/> call, as a value: never an exception.</summary>
/// <remarks>C2SP tlog-witness, "add-checkpoint"; the HTTP status of each answer is given on <see cref="WitnessSubmissionStatus"/>.</remarks>
public sealed class WitnessSubmission
{
    private WitnessSubmission(WitnessSubmissionStatus status, ImmutableArray<NoteSignature> cosignatures, ulong witnessTreeSize, string? detail) =>
        (Status, Cosignatures, WitnessTreeSize, Detail) = (status, cosignatures, witnessTreeSize, detail);

    /// <summary>The outcome.</summary>
    public WitnessSubmissionStatus Status { get; }

    /// <summary>Whether the witness cosigned.</summary>
    public bool IsCosigned => Status == WitnessSubmissionStatus.Cosigned;

    /// <summary>Whether the witness refused the checkpoint as inconsistent with what it cosigned before: a fork or a failed proof.</summary>
    public bool IsRefusal => Status is WitnessSubmissionStatus.Fork or WitnessSubmissionStatus.InconsistentProof;

    /// <summary>The signature lines the witness answered when <see cref="IsCosigned"/>, not yet verified; otherwise empty.</summary>
    public ImmutableArray<NoteSignature> Cosignatures { get; }

    /// <summary>For <see cref="WitnessSubmissionStatus.OldSizeMismatch"/>, the size the witness last cosigned (to retry from); otherwise 0.</summary>
    public ulong WitnessTreeSize { get; }

    /// <summary>For <see cref="WitnessSubmissionStatus.Unreachable"/> and <see cref="WitnessSubmissionStatus.UnexpectedResponse"/>, what happened; otherwise <see langword="null"/>.</summary>
    public string? Detail { get; }

    /// <summary>A cosignature answer.</summary>
    /// <param name="cosignatures">The signature lines the witness answered; at least one.</param>
    /// <returns>The submission.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cosignatures"/> is (or holds) <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="cosignatures"/> is empty.</exception>
    public static WitnessSubmission Cosigned(IEnumerable<NoteSignature> cosignatures)
    {
        ArgumentNullException.ThrowIfNull(cosignatures);
        ImmutableArray<NoteSignature> lines = [.. cosignatures];
        foreach (NoteSignature line in lines)
        {
            ArgumentNullException.ThrowIfNull(line, nameof(cosignatures));
        }

        return lines.IsEmpty
            ? throw new ArgumentException("A cosignature answer holds at least one line.", nameof(cosignatures))
            : new WitnessSubmission(WitnessSubmissionStatus.Cosigned, lines, 0, null);
    }

    /// <summary>An old-size mismatch answer.</summary>
    /// <param name="witnessTreeSize">The size the witness last cosigned for the origin (0 for none).</param>
    /// <returns>The submission.</returns>
    public static WitnessSubmission OldSizeMismatch(ulong witnessTreeSize) =>
        new(WitnessSubmissionStatus.OldSizeMismatch, [], witnessTreeSize, null);

    /// <summary>A refusal that carries nothing: a fork, a failed proof, an unknown origin or a missing log signature.</summary>
    /// <param name="status">One of <see cref="WitnessSubmissionStatus.Fork"/>, <see cref="WitnessSubmissionStatus.InconsistentProof"/>, <see cref="WitnessSubmissionStatus.UnknownOrigin"/> or <see cref="WitnessSubmissionStatus.NotSignedByLog"/>.</param>
    /// <returns>The submission.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is another status.</exception>
    public static WitnessSubmission Refused(WitnessSubmissionStatus status) => status is WitnessSubmissionStatus.Fork or WitnessSubmissionStatus.InconsistentProof
        or WitnessSubmissionStatus.UnknownOrigin or WitnessSubmissionStatus.NotSignedByLog
        ? new(status, [], 0, null)
        : throw new ArgumentOutOfRangeException(nameof(status), status, "Not a refusal that carries nothing.");

    /// <summary>No answer: the witness could not be reached, timed out or failed.</summary>
    /// <param name="detail">What happened, for logs; no secret.</param>
    /// <returns>The submission.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="detail"/> is <see langword="null"/>.</exception>
    public static WitnessSubmission Unreachable(string detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return new(WitnessSubmissionStatus.Unreachable, [], 0, detail);
    }

    /// <summary>An answer outside the protocol: a malformed body or an unexpected status.</summary>
    /// <param name="detail">What was wrong, for logs; no secret.</param>
    /// <returns>The submission.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="detail"/> is <see langword="null"/>.</exception>
    public static WitnessSubmission UnexpectedResponse(string detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return new(WitnessSubmissionStatus.UnexpectedResponse, [], 0, detail);
    }

    /// <summary>The submission an in-process <see cref="Witness"/>'s answer amounts to.</summary>
    /// <param name="result">The witness's answer.</param>
    /// <returns>The submission.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    public static WitnessSubmission FromResult(AddCheckpointResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status switch
        {
            AddCheckpointStatus.Cosigned => Cosigned(result.Cosignatures),
            AddCheckpointStatus.OldSizeMismatch => OldSizeMismatch(result.TreeSize),
            AddCheckpointStatus.Fork => Refused(WitnessSubmissionStatus.Fork),
            AddCheckpointStatus.InconsistentProof => Refused(WitnessSubmissionStatus.InconsistentProof),
            AddCheckpointStatus.UnknownOrigin => Refused(WitnessSubmissionStatus.UnknownOrigin),
            AddCheckpointStatus.NotSignedByLog => Refused(WitnessSubmissionStatus.NotSignedByLog),
            _ => UnexpectedResponse($"The witness answered {result.Status}."),
        };
    }

    /// <summary>Describes the outcome.</summary>
    /// <returns><c>WitnessSubmission(status, …)</c> without the signature bytes.</returns>
    public override string ToString() => Status switch
    {
        WitnessSubmissionStatus.Cosigned => $"WitnessSubmission(Cosigned, lines={Cosignatures.Length})",
        WitnessSubmissionStatus.OldSizeMismatch => $"WitnessSubmission(OldSizeMismatch, witness size={WitnessTreeSize})",
        _ when Detail is not null => $"WitnessSubmission({Status}: {Detail})",
        _ => $"WitnessSubmission({Status})",
    };
}
