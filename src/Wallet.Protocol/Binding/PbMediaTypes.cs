namespace Wallet.Protocol.Binding;

/// <summary>
/// The media types of PB/1 over HTTP. Every binary type carries exactly one canonical encoding (docs/PROTOCOL.md
/// section 2, or docs/http.md "Bodies" for the HTTP envelopes); the JSON views exist only for people reading them.
/// </summary>
/// <remarks>Vendor tree per RFC 6838 section 3.2; the problem type is RFC 9457 section 3.</remarks>
public static class PbMediaTypes
{
    /// <summary>The vendor tree every PB/1 media type sits under.</summary>
    internal const string Prefix = "application/vnd.walletcore.pb1.";

    /// <summary>A <c>WithdrawalRequest</c> encoding.</summary>
    public const string WithdrawalRequest = Prefix + "withdrawal-request";

    /// <summary>A withdrawal result envelope: status, and the <c>WithdrawalResponse</c> when issued.</summary>
    public const string WithdrawalResult = Prefix + "withdrawal-result";

    /// <summary>A <c>SwapRequest</c> encoding.</summary>
    public const string SwapRequest = Prefix + "swap-request";

    /// <summary>A <c>RecoveryRequest</c> encoding.</summary>
    public const string RecoveryRequest = Prefix + "recovery-request";

    /// <summary>A swap result envelope: status, the <c>SwapResponse</c> when swapped, the failing input, and double-spend proofs.</summary>
    public const string SwapResult = Prefix + "swap-result";

    /// <summary>A <c>RefundClaimRequest</c> encoding.</summary>
    public const string RefundClaimRequest = Prefix + "refund-claim-request";

    /// <summary>A refund claim result envelope: status, the <c>RefundClaimResponse</c> when accepted, and the coin or output refused.</summary>
    public const string RefundClaimResult = Prefix + "refund-claim-result";

    /// <summary>A <c>StatementRequest</c> encoding.</summary>
    public const string StatementRequest = Prefix + "statement-request";

    /// <summary>A statement result envelope: status and the <c>WorkerStatement</c> when answered.</summary>
    public const string StatementResult = Prefix + "statement-result";

    /// <summary>A contribution receipts envelope: status and the <c>ContributionReceipt</c> list.</summary>
    public const string ContributionReceipts = Prefix + "contribution-receipts";

    /// <summary>A <c>DepositRequest</c> encoding.</summary>
    public const string DepositRequest = Prefix + "deposit-request";

    /// <summary>A deposit result envelope: status, receipt, rejections and double-spend proofs.</summary>
    public const string DepositResult = Prefix + "deposit-result";

    /// <summary>A list of blinded messages (restore query).</summary>
    public const string BlindedMessages = Prefix + "blinded-messages";

    /// <summary>A list of optional blind signatures (restore answer).</summary>
    public const string BlindSignatures = Prefix + "blind-signatures";

    /// <summary>A list of coin ids (spent query).</summary>
    public const string CoinIds = Prefix + "coin-ids";

    /// <summary>A list of spent flags (spent answer).</summary>
    public const string SpentFlags = Prefix + "spent-flags";

    /// <summary>The keyset directory: announcements with log index and revocation flag.</summary>
    public const string Keysets = Prefix + "keysets";

    /// <summary>Every accreditation registry version, oldest first.</summary>
    public const string Registries = Prefix + "registries";

    /// <summary>A <c>SignedTreeHead</c> encoding.</summary>
    public const string TreeHead = Prefix + "tree-head";

    /// <summary>An RFC 9162 inclusion proof encoding.</summary>
    public const string InclusionProof = Prefix + "inclusion-proof";

    /// <summary>An RFC 9162 consistency proof encoding.</summary>
    public const string ConsistencyProof = Prefix + "consistency-proof";

    /// <summary>A <c>LogEntry</c> encoding.</summary>
    public const string LogEntry = Prefix + "log-entry";

    /// <summary>A payment submission to a provider: the payment request and the wallet's coin spends.</summary>
    public const string PaymentSubmission = Prefix + "payment-submission";

    /// <summary>A provider's verdict on a payment submission.</summary>
    public const string PaymentResult = Prefix + "payment-result";

    /// <summary>A provider's answer on where a payment stands: open, verified, paid with the spend receipt, or rejected with the reason and proofs.</summary>
    public const string PaymentStatus = Prefix + "payment-status";

    /// <summary>A <c>HolderProof</c> encoding: the wallet proves it holds a payment's coins (docs/PROTOCOL.md 5.20).</summary>
    public const string HolderProof = Prefix + "holder-proof";

    /// <summary>A payment offer: the provider's signed request and its details (<c>PaymentRequest.EncodeOffer</c>).</summary>
    public const string PaymentOffer = Prefix + "payment-offer";

    /// <summary>The refunds of one payment, as the provider hands them to the holder (<see cref="ProviderEnvelopes.EncodeRefunds"/>).</summary>
    public const string PaymentRefunds = Prefix + "payment-refunds";

    /// <summary>RFC 9457 problem details.</summary>
    public const string Problem = "application/problem+json";

    /// <summary>The JSON views of the keyset directory, registries and tree head.</summary>
    public const string Json = "application/json";
}
