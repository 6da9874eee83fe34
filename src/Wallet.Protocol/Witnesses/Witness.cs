using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>
/// The witness role of C2SP tlog-witness: cosigns a log's checkpoint only when it is consistent with the latest
/// checkpoint the witness cosigned for that log, and keeps evidence when it is not.
/// </summary>
/// <remarks>
/// C2SP tlog-witness, "add-checkpoint", in the spec's order: the origin must be configured; a trusted log key must
/// sign the note; the old size must be the stored size (else the stored size is returned); for the same size the roots
/// must match (else a fork); otherwise the consistency proof must verify from the stored root to the new one. Only then
/// is the new checkpoint stored (a compare-and-set on the state that was checked, retried from the start if another
/// request moved it) and, once stored, cosigned with <c>cosignature/v1</c>. A refused fork or failed proof is kept as
/// <see cref="SplitViewEvidence"/> in the store.
/// </remarks>
public sealed class Witness
{
    private readonly Dictionary<string, NoteVerifierSet> _logs = new(StringComparer.Ordinal);
    private readonly CosignatureV1Signer _signer;
    private readonly IWitnessStore _store;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates a witness.</summary>
    /// <param name="logs">The logs it witnesses; one entry per origin.</param>
    /// <param name="signer">The witness's cosigning key and clock.</param>
    /// <param name="store">Where its state and evidence are kept.</param>
    /// <exception cref="ArgumentNullException">An argument is (or <paramref name="logs"/> holds) <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two entries of <paramref name="logs"/> share an origin.</exception>
    public Witness(IEnumerable<WitnessedLog> logs, CosignatureV1Signer signer, IWitnessStore store)
    {
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(store);
        foreach (WitnessedLog log in logs)
        {
            ArgumentNullException.ThrowIfNull(log, nameof(logs));
            if (!_logs.TryAdd(log.Origin, new NoteVerifierSet(log.LogKey)))
            {
                throw new ArgumentException($"The origin '{log.Origin}' is configured twice.", nameof(logs));
            }
        }

        (_signer, _store) = (signer, store);
    }

    /// <summary>The witness's verifier, whose verifier key clients configure in a <see cref="WitnessPolicy"/>.</summary>
    public CosignatureV1Verifier Verifier => _signer.Verifier;

    /// <summary>Handles an add-checkpoint request.</summary>
    /// <param name="request">The parsed request.</param>
    /// <param name="cancellationToken">Cancels the call; once the new state is stored the cosignature is still returned.</param>
    /// <returns>The cosignature, or the refusal with what the spec returns for it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the state was stored.</exception>
    public async ValueTask<AddCheckpointResult> AddCheckpointAsync(AddCheckpointRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Checkpoint checkpoint = request.Checkpoint;
        if (!_logs.TryGetValue(checkpoint.Origin, out NoteVerifierSet? logKeys))
        {
            return AddCheckpointResult.Refused(AddCheckpointStatus.UnknownOrigin);
        }

        NoteVerificationResult verified = logKeys.Verify(request.Note);
        if (!verified.IsVerified)
        {
            return AddCheckpointResult.Refused(AddCheckpointStatus.NotSignedByLog);
        }

        // What the witness keeps (and shows as evidence) is what the log signed, without others' lines.
        SignedNote logNote = SignedNote.Create(request.Note.Text, verified.VerifiedSignatures);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                SignedNote? stored = await _store.GetLatestAsync(checkpoint.Origin, cancellationToken).ConfigureAwait(false);
                Checkpoint? storedCheckpoint = stored is null ? null : Checkpoint.Parse(stored.Text);
                ulong storedSize = storedCheckpoint?.TreeSize ?? 0;
                if (request.OldSize != storedSize)
                {
                    return AddCheckpointResult.Refused(AddCheckpointStatus.OldSizeMismatch, storedSize);
                }

                AddCheckpointResult? refusal = await CheckAsync(request, logNote, stored, storedCheckpoint, cancellationToken).ConfigureAwait(false);
                if (refusal is not null)
                {
                    return refusal;
                }

                if (await _store.TryReplaceLatestAsync(checkpoint.Origin, stored, logNote, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return AddCheckpointResult.Cosigned(_signer.Sign(checkpoint), checkpoint.TreeSize);
    }

    /// <summary>The fork and proof checks against the stored state; <see langword="null"/> when the checkpoint may be cosigned.</summary>
    private async ValueTask<AddCheckpointResult?> CheckAsync(
        AddCheckpointRequest request, SignedNote logNote, SignedNote? stored, Checkpoint? storedCheckpoint, CancellationToken cancellationToken)
    {
        Checkpoint checkpoint = request.Checkpoint;
        if (stored is null || storedCheckpoint is null)
        {
            // Nothing cosigned yet: the old size is 0, and so is the proof (C2SP tlog-witness, "add-checkpoint").
            return request.Proof.Path.IsEmpty ? null : AddCheckpointResult.Refused(AddCheckpointStatus.InconsistentProof);
        }

        bool sameSize = checkpoint.TreeSize == storedCheckpoint.TreeSize;
        bool consistent = sameSize
            ? checkpoint.RootHash == storedCheckpoint.RootHash && request.Proof.Path.IsEmpty
            : request.Proof.Verify(storedCheckpoint.RootHash, checkpoint.RootHash);
        if (consistent)
        {
            return null;
        }

        if (sameSize && checkpoint.RootHash == storedCheckpoint.RootHash)
        {
            // Same tree, but a non-empty proof: malformed, not a fork.
            return AddCheckpointResult.Refused(AddCheckpointStatus.InconsistentProof, storedCheckpoint.TreeSize);
        }

        SplitViewEvidence evidence = SplitViewEvidence.FromVerified(stored, storedCheckpoint, logNote, checkpoint, request.Proof);
        await _store.AddEvidenceAsync(evidence, cancellationToken).ConfigureAwait(false);
        return AddCheckpointResult.Refused(
            sameSize ? AddCheckpointStatus.Fork : AddCheckpointStatus.InconsistentProof, storedCheckpoint.TreeSize, evidence);
    }
}
