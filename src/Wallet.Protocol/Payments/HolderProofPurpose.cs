namespace Wallet.Protocol.Payments;

/// <summary>What a <see cref="HolderProof"/> asks the provider for; part of the signed content, so a proof made for one answer never opens another.</summary>
/// <remarks>docs/PROTOCOL.md section 5.20, "Holder proof".</remarks>
public enum HolderProofPurpose : byte
{
    /// <summary>The payment's status with the provider's spend receipt (<c>POST {prefix}/payments/{id}/receipt</c>).</summary>
    SpendReceipt = 1,

    /// <summary>The provider's signed refund for the payment, when it holds one.</summary>
    Refund = 2,
}
