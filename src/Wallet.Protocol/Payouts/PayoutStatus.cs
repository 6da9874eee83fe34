namespace Wallet.Protocol.Payouts;

/// <summary>The outcome of a payout (docs/PROTOCOL.md 5.18). Every status except <see cref="Paid"/> means nothing moved.</summary>
public enum PayoutStatus : byte
{
    /// <summary>The amount left the provider's payable (now, or by an earlier attempt with the same key); a statement comes with it.</summary>
    Paid = 1,

    /// <summary>The amount is more than the provider's payable.</summary>
    InsufficientPayable = 2,

    /// <summary>No published registry ever named the provider: the scheme pays out only to providers it accredited.</summary>
    UnknownProvider = 3,

    /// <summary>The idempotency key was already used for another payout (another provider or amount) or another operation.</summary>
    IdempotencyKeyReused = 4,

    /// <summary>The provider's total paid out would leave the range of an amount.</summary>
    AmountOverflow = 5,
}
