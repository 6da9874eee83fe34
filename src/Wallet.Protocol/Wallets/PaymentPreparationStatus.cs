namespace Wallet.Protocol.Wallets;

/// <summary>Why the wallet would or would not pay a payment request.</summary>
public enum PaymentPreparationStatus
{
    /// <summary>Coins summing exactly to the amount are signed over the request.</summary>
    Ready = 1,

    /// <summary>The registry's signature is not the accreditation body's.</summary>
    InvalidRegistry = 2,

    /// <summary>The provider is not in the registry, or not accredited now.</summary>
    ProviderNotAccredited = 3,

    /// <summary>The request is not signed by the provider's registered receipt key.</summary>
    BadRequestSignature = 4,

    /// <summary>The request has expired.</summary>
    Expired = 5,

    /// <summary>No set of spendable coins that the provider may redeem sums exactly to the amount (see <see cref="PaymentPreparation.ChangeAvailable"/>: a swap for change may fix it).</summary>
    NoExactCoins = 6,

    /// <summary>
    /// The wallet already paid this request and the payment is being abandoned or known to be deposited
    /// (<see cref="WorkerWallet.Payments"/>): paying it again would pay twice. (A payment still in flight is answered
    /// <see cref="Ready"/> with the same spends again; one abandoned and refunded can be paid anew.)
    /// </summary>
    AlreadyPaid = 7,

    /// <summary>The request came without its details (<see cref="PaymentRequest.Details"/>): the worker could not see what it is for or until when it is payable. Ask the provider for the offer (<see cref="PaymentRequest.EncodeOffer"/>).</summary>
    NoDetails = 8,

    /// <summary>The mandate is not one the wallet keeps, it is cancelled, or the period has not started or is not covered (<see cref="WorkerWallet.PrepareMandatePayment"/>).</summary>
    UnknownMandate = 9,

    /// <summary>The request is not the union's request for this mandate and period: another provider, amount or purpose (<see cref="DuesMandate.PurposeFor"/>).</summary>
    NotForMandate = 10,
}
