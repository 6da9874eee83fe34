namespace Wallet.Protocol.Providers;

/// <summary>Why a provider did or did not sign a refund (<see cref="AccreditedProvider.IssueRefundAsync"/>).</summary>
public enum RefundIssuanceStatus
{
    /// <summary>The refund is signed and stored; hand it to the payer.</summary>
    Issued = 1,

    /// <summary>The payment is not one the scheme credited to this provider (unknown, open, verified but not deposited, or rejected).</summary>
    NotPaid = 2,

    /// <summary>A named coin is not one of the payment's coins.</summary>
    UnknownCoin = 3,

    /// <summary>A named coin was already refunded by an earlier refund of this provider.</summary>
    AlreadyRefunded = 4,

    /// <summary>The amount is more than what is left of the payment after earlier refunds.</summary>
    AmountTooLarge = 5,
}
