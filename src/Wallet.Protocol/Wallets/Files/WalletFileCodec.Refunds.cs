namespace Wallet.Protocol.Wallets.Files;

// Version 6: the pending refund claims (docs/PROTOCOL.md 5.17 and 8.1), in the pending swaps' layout.
internal static partial class WalletFileCodec
{
    private static void WritePendingRefundClaims(ProtocolWriter w, WalletState state) =>
        WritePendingSwaps<RefundClaimRequest>(w, state, r => r.Encode());

    private static void ReadPendingRefundClaims(ref ProtocolReader r, WalletFileImage image) =>
        ReadPending(ref r, "pending_refund_claims", "Field 'pending_refund_claims' is not strictly ascending.", image.PendingRefundClaims, b => RefundClaimRequest.Decode(b), q => q.IdempotencyKey, q => q.Outputs.Length);
}
