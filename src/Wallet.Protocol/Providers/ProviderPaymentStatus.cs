namespace Wallet.Protocol.Providers;

/// <summary>Where one payment stands at its provider (docs/PROTOCOL.md section 5.5, "Payment status").</summary>
public enum ProviderPaymentStatus
{
    /// <summary>The provider never issued this payment request, or does not keep it.</summary>
    Unknown = 0,

    /// <summary>The request is issued and not yet paid with coins that verified.</summary>
    Open = 1,

    /// <summary>The coins verified offline; the payment waits for a deposit receipt from the scheme.</summary>
    Verified = 2,

    /// <summary>The scheme credited the provider for the payment; the provider signed a spend receipt.</summary>
    Paid = 3,

    /// <summary>The scheme refused the payment (rejected or double spent); it moved no value and left the provider's queue.</summary>
    Rejected = 4,
}
