namespace Wallet.Protocol.Providers;

/// <summary>Where a published payment request stands when a wallet fetches it (docs/PROTOCOL.md section 5.20).</summary>
public enum PaymentOfferStatus
{
    /// <summary>The provider published no request under that id or code (or no longer remembers it).</summary>
    Unknown = 0,

    /// <summary>The request is open and payable: the offer is served.</summary>
    Open = 1,

    /// <summary>The request was paid (or its payment settled) and takes no more coins.</summary>
    Closed = 2,

    /// <summary>The request's expiry has passed.</summary>
    Expired = 3,
}
