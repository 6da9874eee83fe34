using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Checkpoints;

/// <summary>An <see cref="IWitnessClient"/> over a <see cref="Witness"/> in the same process, for tests and for embedding a witness.</summary>
/// <remarks>The request goes through its wire form, as it would over HTTP, so what the witness sees is exactly what a remote one would parse.</remarks>
public sealed class InProcessWitnessClient : IWitnessClient
{
    private readonly Witness _witness;

    /// <summary>Creates the client.</summary>
    /// <param name="witness">The witness (not owned).</param>
    /// <exception cref="ArgumentNullException"><paramref name="witness"/> is <see langword="null"/>.</exception>
    public InProcessWitnessClient(Witness witness)
    {
        ArgumentNullException.ThrowIfNull(witness);
        _witness = witness;
    }

    /// <inheritdoc/>
    public async Task<WitnessSubmission> AddCheckpointAsync(AddCheckpointRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            AddCheckpointRequest parsed = AddCheckpointRequest.Parse(request.Encode());
            return WitnessSubmission.FromResult(await _witness.AddCheckpointAsync(parsed, cancellationToken).ConfigureAwait(false));
        }
        catch (WitnessFormatException e)
        {
            // What a witness server answers with 400.
            return WitnessSubmission.UnexpectedResponse($"The witness refused the request as malformed: {e.Message}");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // The witness's store failed: for the log, the witness is down.
            return WitnessSubmission.Unreachable($"The witness failed: {e.GetType().Name}.");
        }
    }
}
