namespace Wallet.Protocol.Ledger;

/// <summary>The outcome of a ledger operation. Every status except <see cref="Applied"/> means nothing moved.</summary>
public enum LedgerStatus : byte
{
    /// <summary>The operation was recorded as one journal entry. A deposit may still report conflicting coins.</summary>
    Applied = 1,

    /// <summary>The debit would overdraw the worker (or expired) account, or a payout a provider's payable account.</summary>
    InsufficientFunds = 2,

    /// <summary>Every coin offered was already spent (deposit), or at least one input coin was (swap).</summary>
    DoubleSpend = 3,

    /// <summary>A keyset named by the operation has already expired.</summary>
    KeysetExpired = 4,

    /// <summary>The coins exceed the value outstanding for their keyset: they were never issued by this ledger.</summary>
    OutstandingExceeded = 5,

    /// <summary>A swap's input and output values differ.</summary>
    ValueMismatch = 6,

    /// <summary>The idempotency key was already used for a different request.</summary>
    IdempotencyKeyReused = 7,

    /// <summary>A total, balance or keyset counter would leave the range of a 64-bit integer.</summary>
    AmountOverflow = 8,

    /// <summary>
    /// A reversal names no applied withdrawal of that worker and amount under the key. Not stored: the reversal may
    /// be asked again once the withdrawal exists.
    /// </summary>
    UnknownWithdrawal = 9,

    /// <summary>
    /// The worker's sub-balances together cover the coins, but not the sub-balance of the coins' fund: the money is
    /// ring-fenced in another fund (docs/PROTOCOL.md section 5.22), for example training money asked for as general coins.
    /// </summary>
    FundRestricted = 10,
}
