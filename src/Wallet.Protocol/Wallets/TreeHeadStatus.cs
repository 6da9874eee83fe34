namespace Wallet.Protocol.Wallets;

/// <summary>What a wallet concluded from a new signed tree head or checkpoint.</summary>
public enum TreeHeadStatus
{
    /// <summary>Signed by the scheme (and, under a witness policy, cosigned by its quorum) and consistent with every head seen before; now trusted.</summary>
    Accepted = 1,

    /// <summary>Not signed by the scheme; for a checkpoint, not a checkpoint the log's key signed under the log's origin.</summary>
    BadSignature = 2,

    /// <summary>
    /// Same size as a trusted head but another root, or no valid consistency proof: the log forked. Keep both heads as
    /// evidence (<see cref="WorkerWallet.ForkEvidence"/>, or <see cref="WorkerWallet.SplitViews"/> for checkpoints).
    /// </summary>
    Fork = 3,

    /// <summary>Older than the trusted head; ignored.</summary>
    Stale = 4,

    /// <summary>
    /// Signed by the scheme and consistent, but the wallet's witness policy is not met: a tree head (which carries no
    /// cosignature) or a checkpoint with fewer than the quorum of configured witnesses' cosignatures. Trust did not move.
    /// </summary>
    NotWitnessed = 5,
}
