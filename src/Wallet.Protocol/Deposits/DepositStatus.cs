namespace Wallet.Protocol.Deposits;

/// <summary>The outcome of a deposit batch; each payment's own outcome is in <see cref="DepositResult.Payments"/>. Anything but <see cref="Accepted"/> moves no value.</summary>
public enum DepositStatus
{
    /// <summary>At least one payment was valid and unspent and the provider was credited for it (or the stored result was replayed); the receipt names the credited payments.</summary>
    Accepted = 1,

    /// <summary>No payment was credited, and at least one was rejected; see the payments' reasons.</summary>
    Rejected = 2,

    /// <summary>No payment was credited, none was rejected, and at least one had a coin already spent with a different payment; see the proofs.</summary>
    DoubleSpend = 3,

    /// <summary>Every payment was already deposited with these very spends under another idempotency key.</summary>
    AlreadyDeposited = 4,

    /// <summary>The idempotency key was used before for a different batch.</summary>
    IdempotencyKeyReused = 5,
}
