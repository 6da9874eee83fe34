namespace Wallet.Protocol.Binding;

/// <summary>
/// The media types of PB/1 over HTTP. Every binary type carries exactly one canonical encoding (docs/PROTOCOL.md
/// section 2, or docs/http.md "Bodies" for the HTTP envelopes); the JSON views exist only for people reading them.
/// </summary>
/// <remarks>Vendor tree per RFC 6838 section 3.2; the problem type is RFC 9457 section 3.</remarks>
public static class PbMediaTypes
{
    /// <summary>A <c>WithdrawalRequest</c> encoding.</summary>
    public const string WithdrawalRequest = "application/vnd.walletcore.pb1.withdrawal-request";

    /// <summary>A withdrawal result envelope: status, and the <c>WithdrawalResponse</c> when issued.</summary>
    public const string WithdrawalResult = "application/vnd.walletcore.pb1.withdrawal-result";

    /// <summary>A <c>SwapRequest</c> encoding.</summary>
    public const string SwapRequest = "application/vnd.walletcore.pb1.swap-request";

    /// <summary>A <c>RecoveryRequest</c> encoding.</summary>
    public const string RecoveryRequest = "application/vnd.walletcore.pb1.recovery-request";

    /// <summary>A swap result envelope: status, the <c>SwapResponse</c> when swapped, the failing input, and double-spend proofs.</summary>
    public const string SwapResult = "application/vnd.walletcore.pb1.swap-result";

    /// <summary>A <c>DepositRequest</c> encoding.</summary>
    public const string DepositRequest = "application/vnd.walletcore.pb1.deposit-request";

    /// <summary>A deposit result envelope: status, receipt, rejections and double-spend proofs.</summary>
    public const string DepositResult = "application/vnd.walletcore.pb1.deposit-result";

    /// <summary>A list of blinded messages (restore query).</summary>
    public const string BlindedMessages = "application/vnd.walletcore.pb1.blinded-messages";

    /// <summary>A list of optional blind signatures (restore answer).</summary>
    public const string BlindSignatures = "application/vnd.walletcore.pb1.blind-signatures";

    /// <summary>A list of coin ids (spent query).</summary>
    public const string CoinIds = "application/vnd.walletcore.pb1.coin-ids";

    /// <summary>A list of spent flags (spent answer).</summary>
    public const string SpentFlags = "application/vnd.walletcore.pb1.spent-flags";

    /// <summary>The keyset directory: announcements with log index and revocation flag.</summary>
    public const string Keysets = "application/vnd.walletcore.pb1.keysets";

    /// <summary>Every accreditation registry version, oldest first.</summary>
    public const string Registries = "application/vnd.walletcore.pb1.registries";

    /// <summary>A <c>SignedTreeHead</c> encoding.</summary>
    public const string TreeHead = "application/vnd.walletcore.pb1.tree-head";

    /// <summary>An RFC 9162 inclusion proof encoding.</summary>
    public const string InclusionProof = "application/vnd.walletcore.pb1.inclusion-proof";

    /// <summary>An RFC 9162 consistency proof encoding.</summary>
    public const string ConsistencyProof = "application/vnd.walletcore.pb1.consistency-proof";

    /// <summary>A <c>LogEntry</c> encoding.</summary>
    public const string LogEntry = "application/vnd.walletcore.pb1.log-entry";

    /// <summary>A payment submission to a provider: the payment request and the wallet's coin spends.</summary>
    public const string PaymentSubmission = "application/vnd.walletcore.pb1.payment-submission";

    /// <summary>A provider's verdict on a payment submission.</summary>
    public const string PaymentResult = "application/vnd.walletcore.pb1.payment-result";

    /// <summary>RFC 9457 problem details.</summary>
    public const string Problem = "application/problem+json";

    /// <summary>The JSON views of the keyset directory, registries and tree head.</summary>
    public const string Json = "application/json";
}
