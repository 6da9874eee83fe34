namespace Wallet.Protocol.Ledger;

/// <summary>The operation a journal entry records; one per PB/1 value flow.</summary>
/// <remarks>DESIGN.md section 3 flows 1, 2, 4, 5 and 6; docs/PROTOCOL.md section 5.3 for the reversal.</remarks>
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

    /// <summary>
    /// A withdrawal that can never be issued (its keyset's key can never sign again) is undone: the value it made
    /// outstanding goes back to the worker's account. At most one per withdrawal.
    /// </summary>
    WithdrawalReversal = 7,

    /// <summary>A provider refunds a payment: its payable account pays for new coins of one or more keysets (docs/PROTOCOL.md 5.17).</summary>
    Refund = 8,
    /// <summary>
    /// The operator pays a provider's payable out of the scheme (to its bank): the value moves from the provider's
    /// payable account to its payouts account, never more than the payable. docs/PROTOCOL.md section 5.18.
    /// </summary>
    Payout = 9,
}
