namespace Wallet.Protocol.Wallets;

/// <summary>What a wallet concluded from a new signed tree head.</summary>
public enum TreeHeadStatus
{
    /// <summary>Signed by the scheme and consistent with every head seen before; now trusted.</summary>
    Accepted = 1,

    /// <summary>Not signed by the scheme.</summary>
    BadSignature = 2,

    /// <summary>Same size as a trusted head but another root, or no valid consistency proof: the log forked. Keep both heads as evidence.</summary>
    Fork = 3,

    /// <summary>Older than the trusted head; ignored.</summary>
    Stale = 4,
}
