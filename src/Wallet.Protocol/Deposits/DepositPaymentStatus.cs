namespace Wallet.Protocol.Deposits;

/// <summary>The outcome of one payment inside a deposit batch (docs/PROTOCOL.md section 5.5).</summary>
/// <remarks>Every status but <see cref="Accepted"/> and <see cref="AlreadyDeposited"/> is final and moved no value: the provider drops the payment from its queue and can tell the wallet why.</remarks>
public enum DepositPaymentStatus
{
    /// <summary>Every coin of the payment was valid and unspent, and the provider was credited for it by this deposit.</summary>
    Accepted = 1,

    /// <summary>A coin of the payment failed a check, or the coins do not add up to the payment's amount; see the reason.</summary>
    Rejected = 2,

    /// <summary>A coin of the payment was already spent with a different payment or swapped; see the proofs.</summary>
    DoubleSpend = 3,

    /// <summary>The provider was already credited for this very payment by an earlier deposit under another idempotency key.</summary>
    AlreadyDeposited = 4,
}
