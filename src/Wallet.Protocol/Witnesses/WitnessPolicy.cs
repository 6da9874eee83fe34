using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>
/// A wallet's or provider's rule for trusting a log's checkpoint: the log signed it and at least k of the n configured
/// witnesses cosigned it.
/// </summary>
/// <remarks>
/// Each witness counts once however many of its lines the note holds; lines of keys not configured are ignored, and a
/// configured witness's line that does not verify counts as no cosignature from it (it does not spoil the others).
/// Cosignature timestamps are not compared with a clock here. See PROTOCOL.md 5.13.
/// </remarks>
public sealed class WitnessPolicy
{
    private readonly NoteVerifierSet _log;
    private readonly ImmutableArray<(string Name, NoteVerifierSet Key)> _witnesses;

    /// <summary>Creates the policy from validated options.</summary>
    /// <param name="options">The log key, witnesses and quorum.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="WitnessPolicyOptions.Validate"/> reports a problem; the message lists them all.</exception>
    public WitnessPolicy(WitnessPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> failures = options.Validate();
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid witness policy: " + string.Join(" ", failures), nameof(options));
        }

        LogKey = (Ed25519NoteVerifier)NoteVerifier.Parse(options.LogVerifierKey!);
        _log = new NoteVerifierSet(LogKey);
        _witnesses = [.. options.Witnesses.Select(w => (w.Name!, new NoteVerifierSet(NoteVerifier.Parse(w.VerifierKey!))))];
        Quorum = options.Quorum;
    }

    /// <summary>The log's key.</summary>
    public Ed25519NoteVerifier LogKey { get; }

    /// <summary>k, the number of distinct configured witnesses that must cosign.</summary>
    public int Quorum { get; }

    /// <summary>n, the number of configured witnesses.</summary>
    public int WitnessCount => _witnesses.Length;

    /// <summary>Decides whether a signed checkpoint may be trusted.</summary>
    /// <param name="note">The checkpoint note with the log's signature and the witnesses' cosignatures.</param>
    /// <returns>The decision, the checkpoint and the witnesses that cosigned it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="note"/> is <see langword="null"/>.</exception>
    public WitnessPolicyResult Evaluate(SignedNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        Checkpoint? checkpoint;
        try
        {
            if (!Checkpoint.TryOpen(note, _log, out checkpoint))
            {
                return new WitnessPolicyResult(WitnessPolicyStatus.NotSignedByLog, null, [], Quorum);
            }
        }
        catch (NoteFormatException)
        {
            return new WitnessPolicyResult(WitnessPolicyStatus.NotACheckpoint, null, [], Quorum);
        }

        ImmutableArray<string> cosignedBy = [.. _witnesses.Where(w => w.Key.Verify(note).IsVerified).Select(w => w.Name)];
        WitnessPolicyStatus status = cosignedBy.Length >= Quorum ? WitnessPolicyStatus.Accepted : WitnessPolicyStatus.QuorumNotMet;
        return new WitnessPolicyResult(status, checkpoint, cosignedBy, Quorum);
    }
}
