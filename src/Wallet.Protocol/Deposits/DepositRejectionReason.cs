namespace Wallet.Protocol.Deposits;

/// <summary>Why one coin of a batch was refused.</summary>
public enum DepositRejectionReason
{
    /// <summary>The keyset is unknown or revoked.</summary>
    UnknownKeyset = 1,

    /// <summary>The issuer signature is invalid.</summary>
    BadIssuerSignature = 2,

    /// <summary>The coin key's spend signature is invalid.</summary>
    BadSpendSignature = 3,

    /// <summary>The payment request names another provider than the depositor.</summary>
    WrongProvider = 4,

    /// <summary>The payment time is outside the keyset's spend window.</summary>
    OutsideSpendWindow = 5,

    /// <summary>The deposit is after the keyset's deposit_until.</summary>
    OutsideDepositWindow = 6,

    /// <summary>The provider was not accredited at the payment time.</summary>
    ProviderNotAccredited = 7,

    /// <summary>The provider's categories do not allow the coin's fund.</summary>
    FundNotAllowed = 8,

    /// <summary>The payment request's signature does not verify with the provider's registered key.</summary>
    BadPaymentRequest = 9,

    /// <summary>The coin appears twice in the batch.</summary>
    DuplicateInBatch = 10,

    /// <summary>The coins spent against one payment request do not sum to its amount.</summary>
    AmountMismatch = 11,

    /// <summary>The coin was already spent into a swap (docs/PROTOCOL.md section 5.10); the swap spend is the first spend.</summary>
    AlreadySwapped = 12,

    /// <summary>
    /// The ledger already records the coin as spent by another operation whose spend evidence is not stored yet (one
    /// that has not finished, for example after a crash); there is no proof to give. Nothing moved for the payment.
    /// </summary>
    AlreadySpent = 13,
}
