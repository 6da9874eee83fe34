namespace Wallet.Protocol.Providers;

/// <summary>What a provider concluded from a checkpoint of the scheme's log (<see cref="AccreditedProvider.ObserveCheckpointAsync"/>).</summary>
public enum ProviderCheckpointStatus
{
    /// <summary>Signed by the log (and, under a witness policy, cosigned by its quorum) and consistent with the trusted checkpoint; now trusted.</summary>
    Accepted = 1,

    /// <summary>Not a checkpoint the log's key signed under the log's origin.</summary>
    BadSignature = 2,

    /// <summary>The trusted size with another root, or no valid consistency proof: the log forked. Split-view evidence is kept when the log signed both.</summary>
    Fork = 3,

    /// <summary>Older than the trusted checkpoint and consistent with it; ignored.</summary>
    Stale = 4,

    /// <summary>Signed by the log and consistent, but with fewer than the quorum of configured witnesses' cosignatures; trust did not move.</summary>
    NotWitnessed = 5,
}
