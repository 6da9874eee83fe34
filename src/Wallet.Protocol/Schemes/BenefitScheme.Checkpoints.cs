using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Schemes;

/// <summary>The scheme's checkpoint as clients fetch it: the latest one witnesses cosigned (docs/PROTOCOL.md 5.16).</summary>
public sealed partial class BenefitScheme
{
    /// <summary>
    /// The origin <see cref="CheckpointOrigin"/> has when none is set: <c>localhost/pb1</c>, for development and tests.
    /// A scheme that witnesses cosign sets its own, by convention its public URL prefix (<see cref="LogOrigin.FromPrefix"/>).
    /// </summary>
    public const string DefaultCheckpointOrigin = "localhost/pb1";

    private readonly Lock _checkpointGate = new();
    private readonly string _checkpointOrigin = DefaultCheckpointOrigin;
    private SignedNote? _cosignedCheckpoint;
    private ulong _cosignedSize;

    /// <summary>
    /// The log's origin in the checkpoints <see cref="GetCheckpointAsync"/> serves and witnesses cosign, also the key
    /// name of the scheme's signature on them. Default <see cref="DefaultCheckpointOrigin"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The value breaks the <see cref="LogOrigin"/> convention.</exception>
    /// <remarks>docs/PROTOCOL.md 5.14 (origin convention) and 5.16.</remarks>
    public string CheckpointOrigin
    {
        get => _checkpointOrigin;
        init => _checkpointOrigin = LogOrigin.IsValid(value)
            ? value
            : throw new ArgumentException("The origin is a schema-less URL of printable ASCII with no space, '+' or trailing slash.", nameof(value));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The newest checkpoint a <c>CheckpointCosigner</c> collected witness cosignatures for, with all of them; it may
    /// lag the log by one cosigning round. With no cosigner (or before its first cosignature) it is a checkpoint freshly
    /// signed under <see cref="CheckpointOrigin"/>. docs/PROTOCOL.md 5.16.
    /// </remarks>
    public async Task<SignedNote> GetCheckpointAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _cosignedCheckpoint) ?? await SignCheckpointAsync(CheckpointOrigin, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Takes a checkpoint note with witness cosignatures to serve, unless the one served is of a larger tree; a note of
    /// the same size replaces it (a cosigner only adds cosignatures to the note of one size).
    /// </summary>
    /// <param name="note">The note: the scheme's signature under <see cref="CheckpointOrigin"/> and at least one cosignature.</param>
    /// <param name="treeSize">The checkpoint's tree size.</param>
    /// <returns>Whether the note is now the one served.</returns>
    internal bool OfferCosignedCheckpoint(SignedNote note, ulong treeSize)
    {
        lock (_checkpointGate)
        {
            if (_cosignedCheckpoint is not null && treeSize < _cosignedSize)
            {
                return false;
            }

            _cosignedSize = treeSize;
            Volatile.Write(ref _cosignedCheckpoint, note);
            return true;
        }
    }
}
