using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>
/// Where a <see cref="Witness"/> keeps, per origin, the latest checkpoint it cosigned, and the split-view evidence it
/// has collected.
/// </summary>
/// <remarks>
/// C2SP tlog-witness, "add-checkpoint": checking the old size against the stored checkpoint and storing the new one
/// must be atomic, so <see cref="TryReplaceLatestAsync"/> is a compare-and-set on the note text the caller read.
/// Implementations keep each write all-or-nothing: after a crash the store holds the old checkpoint or the new one.
/// </remarks>
public interface IWitnessStore
{
    /// <summary>Reads the latest checkpoint cosigned for an origin.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint note with the log's signatures, or <see langword="null"/> if none was cosigned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="origin"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<SignedNote?> GetLatestAsync(string origin, CancellationToken cancellationToken);

    /// <summary>Replaces the latest checkpoint of an origin, if it is still the one the caller read.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <param name="expected">The note <see cref="GetLatestAsync"/> returned (compared by text), or <see langword="null"/> if it returned none.</param>
    /// <param name="latest">The checkpoint note about to be cosigned.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> if stored; <see langword="false"/> if another writer changed the state first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="origin"/> or <paramref name="latest"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<bool> TryReplaceLatestAsync(string origin, SignedNote? expected, SignedNote latest, CancellationToken cancellationToken);

    /// <summary>Keeps a piece of split-view evidence; keeping the same evidence twice keeps it once.</summary>
    /// <param name="evidence">The evidence.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes once the evidence is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="evidence"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask AddEvidenceAsync(SplitViewEvidence evidence, CancellationToken cancellationToken);

    /// <summary>Reads the evidence kept for an origin.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The evidence, oldest first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="origin"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<ImmutableArray<SplitViewEvidence>> GetEvidenceAsync(string origin, CancellationToken cancellationToken);
}
