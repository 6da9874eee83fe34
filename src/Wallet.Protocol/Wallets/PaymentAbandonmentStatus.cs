namespace Wallet.Protocol.Wallets;

/// <summary>The outcome of <see cref="WorkerWallet.CompleteAbandonPayment"/>. A payment is never both refunded and deposited.</summary>
public enum PaymentAbandonmentStatus
{
    /// <summary>The swap was honoured: the new coins are kept, the value is back, and the payment is <see cref="WalletPaymentState.Abandoned"/>.</summary>
    Refunded = 1,

    /// <summary>
    /// The swap was refused as a double spend with a valid proof that a coin's first spend was this payment: the
    /// provider deposited it. The payment is <see cref="WalletPaymentState.Deposited"/> with the proofs; no value came back.
    /// </summary>
    Deposited = 2,

    /// <summary>
    /// The scheme refused the swap for another reason (<see cref="PaymentAbandonment.Refusal"/>; nothing moved): the swap is
    /// dropped and the payment is <see cref="WalletPaymentState.InFlight"/> again, with the reason in <see cref="WalletPayment.LastRefusal"/>.
    /// A double spend whose proofs do not show this payment as the first spend is refused this way too.
    /// </summary>
    Refused = 3,

    /// <summary>The scheme took the swap but cannot sign yet (<see cref="SwapStatus.SigningKeyUnavailable"/>): the swap stays pending; send the same request again later.</summary>
    RetryLater = 4,

    /// <summary>No payment is being abandoned with this request (unknown key, other bytes, or already completed).</summary>
    UnknownRequest = 5,

    /// <summary>The response is not the scheme's signed answer to this request; nothing changed.</summary>
    BadResponse = 6,

    /// <summary>A blind signature did not unblind to a valid coin; nothing is kept and the swap stays pending.</summary>
    BadSignature = 7,
}
