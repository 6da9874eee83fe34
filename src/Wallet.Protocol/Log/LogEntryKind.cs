namespace Wallet.Protocol.Log;

/// <summary>What a transparency-log entry records.</summary>
public enum LogEntryKind : byte
{
    /// <summary>A signed keyset announcement.</summary>
    KeysetAnnounced = 1,

    /// <summary>A signed accreditation registry version.</summary>
    RegistryPublished = 2,

    /// <summary>A batch of spent coins (no provider, no worker).</summary>
    CoinsSpent = 3,

    /// <summary>Coins issued by one withdrawal, per keyset (no account).</summary>
    CoinsIssued = 4,

    /// <summary>A keyset closed after its deposit window.</summary>
    KeysetExpired = 5,

    /// <summary>Coins spent into a swap or a recovery and the coins issued for them, per keyset (no account).</summary>
    CoinsSwapped = 6,
    /// <summary>A default-allocation rule table signed by the accreditation body.</summary>
    AllocationTablePublished = 8,

    /// <summary>Expired value or never-withdrawn balances directed by the default-allocation table (per provider, no worker).</summary>
    DefaultAllocated = 9,

    /// <summary>A withdrawal reversed because a keyset of it can never sign again: coins per keyset never issued (no account).</summary>
    WithdrawalReversed = 10,

    /// <summary>A scheme-signed summary of the ledger that the log prefix before it reconciles with (docs/PROTOCOL.md 5.15).</summary>
    LedgerCheckpoint = 11,

    /// <summary>A provider's refund paid as new coins: the provider, the amount and the coins per keyset (no worker, no account, no coin; docs/PROTOCOL.md 5.17).</summary>
    RefundIssued = 12,
    /// <summary>One payout call: the amount paid out of the scheme to each provider (no worker, no payment; docs/PROTOCOL.md 5.18).</summary>
    ProvidersPaidOut = 13,

    /// <summary>A funds table signed by the accreditation body: which fund each contribution source credits (docs/PROTOCOL.md 5.22).</summary>
    FundsTablePublished = 14,
}
