namespace Wallet.Protocol.Wallets;

/// <summary>Why the wallet did or did not build a recovery.</summary>
public enum RecoveryPreparationStatus
{
    /// <summary>The recovery is signed and pending; its input coins are reserved until it completes or is abandoned.</summary>
    Ready = 1,

    /// <summary>The wallet holds no free, unspent coin of the revoked keyset.</summary>
    NoCoinsToRecover = 2,

    /// <summary>The replacement denominations cannot split the coins' total exactly.</summary>
    NoExactSplit = 3,
}
