namespace Wallet.Protocol.Refunds;

/// <summary>The outcome of a refund claim. Every status except <see cref="Accepted"/> means nothing moved.</summary>
/// <remarks>docs/PROTOCOL.md 5.17, "Checks".</remarks>
public enum RefundClaimStatus
{
    /// <summary>The refund was paid out as the blind-signed outputs (or a retry replayed the stored response).</summary>
    Accepted = 1,

    /// <summary>A refunded coin was never deposited (<see cref="RefundClaimResult.Index"/> names it), or not as part of the refunded payment.</summary>
    NotDeposited = 2,

    /// <summary>A refunded coin was deposited by another provider than the one refunding, or the provider is not in the registry.</summary>
    WrongProvider = 3,

    /// <summary>The refund is not signed by the provider's receipt key.</summary>
    BadProviderSignature = 4,

    /// <summary>A refunded coin's key did not sign this claim; <see cref="RefundClaimResult.Index"/> names the coin.</summary>
    BadCoinSignature = 5,

    /// <summary>This refund, or a refund of one of its coins, was claimed before.</summary>
    AlreadyRefunded = 6,

    /// <summary>The refund's amount is more than the refunded coins are worth.</summary>
    AmountTooLarge = 7,

    /// <summary>The provider's payable balance does not cover the refund; the same claim may succeed later.</summary>
    PayableTooLow = 8,

    /// <summary>
    /// An output's keyset is unknown, not withdrawable now, or of another fund than the refunded coins, or its blinded
    /// message is malformed; <see cref="RefundClaimResult.Index"/> names the output.
    /// </summary>
    BadOutputs = 9,

    /// <summary>The outputs are not worth exactly the refund's amount.</summary>
    ValueMismatch = 10,

    /// <summary>The idempotency key was used for a different claim.</summary>
    IdempotencyKeyReused = 11,

    /// <summary>
    /// The claim is decided (a crash came before its answer was stored) but an output keyset's signing key is not loaded:
    /// send the same claim again later.
    /// </summary>
    SigningKeyUnavailable = 12,
}
