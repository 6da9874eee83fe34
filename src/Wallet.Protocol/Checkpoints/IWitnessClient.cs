using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Checkpoints;

/// <summary>
/// A way to reach one witness with C2SP tlog-witness's <c>add-checkpoint</c> call: in process
/// (<see cref="InProcessWitnessClient"/>) or over HTTP (<c>HttpWitnessClient</c> in Wallet.Protocol.Http).
/// </summary>
/// <remarks>
/// Every answer, and every failure to get one (unreachable, timed out, malformed), is a <see cref="WitnessSubmission"/>:
/// an implementation throws only for a <see langword="null"/> request or the caller's cancellation.
/// docs/PROTOCOL.md 5.16.
/// </remarks>
public interface IWitnessClient
{
    /// <summary>Sends a checkpoint with its consistency proof to the witness.</summary>
    /// <param name="request">The request: the old size, the proof from it, and the log-signed checkpoint.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the witness answered, or why it did not.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<WitnessSubmission> AddCheckpointAsync(AddCheckpointRequest request, CancellationToken cancellationToken = default);
}
