namespace Wallet.Protocol.Providers;

/// <summary>The provider's offline verdict on the coins offered for one of its payment requests.</summary>
public enum PaymentVerification
{
    /// <summary>Every coin verifies and the sum is exact; the spends wait for the next deposit.</summary>
    Accepted = 1,

    /// <summary>The request is not one this provider issued, or it was already paid.</summary>
    UnknownRequest = 2,

    /// <summary>The request has expired.</summary>
    Expired = 3,

    /// <summary>A spend is for another request (or another provider).</summary>
    WrongRequest = 4,

    /// <summary>A coin's keyset is not one the provider knows from the log.</summary>
    UnknownKeyset = 5,

    /// <summary>A coin's keyset is outside its spend window.</summary>
    OutsideSpendWindow = 6,

    /// <summary>A coin's issuer signature is invalid.</summary>
    BadIssuerSignature = 7,

    /// <summary>A coin's spend signature is invalid.</summary>
    BadSpendSignature = 8,

    /// <summary>The coins do not sum to the amount, or a coin repeats.</summary>
    AmountMismatch = 9,

    /// <summary>A coin's fund is not allowed for the provider's categories.</summary>
    FundNotAllowed = 10,

    /// <summary>The request came without its details (purpose and expiry, <see cref="PaymentRequest.Details"/>): the provider cannot check its expiry.</summary>
    NoDetails = 11,
}
