using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Providers;

/// <summary>
/// The provider's view of the scheme's log: the checkpoint it trusts (witnessed under its policy), split-view evidence
/// against it, and whether a deposit receipt's tree head is covered by it (docs/PROTOCOL.md 5.13).
/// </summary>
public sealed partial class AccreditedProvider
{
    /// <summary>The witness policy checkpoints must meet, or null when the provider trusts the scheme's signature alone.</summary>
    public WitnessPolicy? WitnessPolicy { get; }

    /// <summary>
    /// Considers a checkpoint note of the scheme's log. Under the witness policy it must be signed by the log's key and
    /// cosigned by at least k of the n configured witnesses; without one, signed by the scheme key under the log's
    /// origin (the first trusted checkpoint's origin, from then on). It must be consistent with the trusted checkpoint:
    /// the same root at the same size, a consistency proof from the trusted size when larger, or to it when smaller. A
    /// checkpoint the log signed that contradicts the trusted one is refused, and the pair is kept in the store as
    /// split-view evidence, cosigned or not. Observations are serialised; the store's compare-and-set guards the rest.
    /// </summary>
    /// <param name="checkpoint">The signed checkpoint, with its cosignatures.</param>
    /// <param name="proof">A consistency proof between the trusted size and the checkpoint's (null for the first, or for the same size).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conclusion.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoint"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<ProviderCheckpointStatus> ObserveCheckpointAsync(SignedNote checkpoint, ConsistencyProof? proof, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await _checkpointGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                SignedNote? trusted = await _store.GetCheckpointAsync(cancellationToken).ConfigureAwait(false);
                Checkpoint? current = trusted is null ? null : Checkpoint.Parse(trusted.Text);
                if (!CheckpointTrust.TryOpen(checkpoint, WitnessPolicy, _schemeKey, current?.Origin, out Checkpoint? opened, out Ed25519NoteVerifier? logKey, out bool witnessed))
                {
                    return ProviderCheckpointStatus.BadSignature;
                }

                switch (CheckpointTrust.Compare(current is null ? null : (current.TreeSize, current.RootHash), opened.TreeSize, opened.RootHash, proof))
                {
                    case CheckpointTrust.Verdict.Stale:
                        return ProviderCheckpointStatus.Stale;
                    case CheckpointTrust.Verdict.Conflict:
                        if (SplitViewEvidence.TryCreate(trusted!, checkpoint, logKey, proof, out SplitViewEvidence? evidence))
                        {
                            await _store.AddSplitViewAsync(evidence, cancellationToken).ConfigureAwait(false);
                        }

                        return ProviderCheckpointStatus.Fork;
                }

                if (!witnessed)
                {
                    return ProviderCheckpointStatus.NotWitnessed;
                }

                if (await _store.TryReplaceCheckpointAsync(trusted, checkpoint, cancellationToken).ConfigureAwait(false))
                {
                    return ProviderCheckpointStatus.Accepted;
                }
            }
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    /// <summary>Reads the checkpoint the provider trusts.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The note as accepted, with its cosignatures, or null before the first.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<SignedNote?> GetTrustedCheckpointAsync(CancellationToken cancellationToken = default) =>
        _store.GetCheckpointAsync(cancellationToken).AsTask();

    /// <summary>Reads the split-view evidence the provider kept, oldest first; each verifies with the log's key (<see cref="SplitViewEvidence.Verify"/>).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The evidence.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<IReadOnlyList<SplitViewEvidence>> GetSplitViewsAsync(CancellationToken cancellationToken = default) =>
        _store.ListSplitViewsAsync(cancellationToken).AsTask();

    /// <summary>
    /// Tells whether a deposit receipt's tree head is covered by the trusted (witnessed) checkpoint: the checkpoint is at
    /// least as large and consistent with the head, so the deposit's log entry, which the receipt proves included under
    /// its head, is in the log the witnesses saw and every other party sees. A deposit's receipt is signed before any
    /// witness can have cosigned its head, so this is checked after settlement, once a later checkpoint is observed.
    /// </summary>
    /// <param name="receipt">The scheme's deposit receipt, already verified by <see cref="CompleteDepositAsync"/>.</param>
    /// <param name="proof">The consistency proof from the receipt head's size to the trusted checkpoint's size (null when they are equal).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conclusion.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="receipt"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<ReceiptWitnessStatus> CheckReceiptWitnessedAsync(DepositReceipt receipt, ConsistencyProof? proof, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        SignedTreeHead head = receipt.TreeHead;
        if (!head.Verify(_schemeKey))
        {
            return ReceiptWitnessStatus.BadSignature;
        }

        SignedNote? trusted = await _store.GetCheckpointAsync(cancellationToken).ConfigureAwait(false);
        Checkpoint? checkpoint = trusted is null ? null : Checkpoint.Parse(trusted.Text);
        if (checkpoint is null || checkpoint.TreeSize < head.TreeSize)
        {
            return ReceiptWitnessStatus.NotYetWitnessed;
        }

        return CheckpointTrust.Compare((checkpoint.TreeSize, checkpoint.RootHash), head.TreeSize, head.RootHash, proof) is CheckpointTrust.Verdict.Same or CheckpointTrust.Verdict.Stale
            ? ReceiptWitnessStatus.Witnessed
            : ReceiptWitnessStatus.Inconsistent;
    }
}
