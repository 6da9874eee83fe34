namespace Wallet.Protocol.Ledger;

/// <summary>The operation a journal entry records; one per PB/1 value flow.</summary>
/// <remarks>DESIGN.md section 3 flows 1, 2, 4, 5 and 6.</remarks>
public enum EntryKind : byte
{
    /// <summary>A contribution source credits a worker account.</summary>
    Contribution = 1,

    /// <summary>A worker account is debited and the value becomes outstanding coins of one or more keysets.</summary>
    Withdrawal = 2,

    /// <summary>Coins are recorded spent and their value is credited to a provider.</summary>
    Deposit = 3,

    /// <summary>Coins are recorded spent and the same value is issued again as new coins.</summary>
    Swap = 4,

    /// <summary>A keyset's unspent value moves to the expired account and the keyset closes.</summary>
    Expiry = 5,

    /// <summary>Expired value or an unwithdrawn worker balance is directed by the default-allocation rule.</summary>
    DefaultAllocation = 6,
}
