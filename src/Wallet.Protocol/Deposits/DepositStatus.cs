namespace Wallet.Protocol.Deposits;

/// <summary>The outcome of a deposit batch. Anything but <see cref="Accepted"/> moves no value.</summary>
public enum DepositStatus
{
    /// <summary>Every coin was valid and unspent; the provider was credited (or the stored receipt was replayed).</summary>
    Accepted = 1,

    /// <summary>At least one coin failed a check; see the rejections.</summary>
    Rejected = 2,

    /// <summary>At least one coin was already spent with a different payment; see the proofs.</summary>
    DoubleSpend = 3,

    /// <summary>At least one coin was already deposited with this very spend under another idempotency key.</summary>
    AlreadyDeposited = 4,

    /// <summary>The idempotency key was used before for a different batch.</summary>
    IdempotencyKeyReused = 5,
}
