namespace Wallet.Protocol.Binding;

/// <summary>The paths of the scheme endpoints, relative to the prefix they are mapped under (docs/http.md "Endpoints").</summary>
public static class SchemeRoutes
{
    /// <summary>The default prefix.</summary>
    public const string DefaultPrefix = "/pb1";

    /// <summary>POST: a withdrawal request.</summary>
    public const string Withdrawals = "/withdrawals";

    /// <summary>POST: a deposit batch.</summary>
    public const string Deposits = "/deposits";

    /// <summary>POST: an anonymous swap (exact change, rollover).</summary>
    public const string Swaps = "/swaps";

    /// <summary>POST: an account-signed recovery of coins of a revoked keyset.</summary>
    public const string Recoveries = "/recoveries";

    /// <summary>POST: a claim of a provider's refund, signed by the refunded coins' keys (docs/PROTOCOL.md 5.17).</summary>
    public const string RefundClaims = "/refund-claims";

    /// <summary>POST: a worker's statement, asked with a request signed by the account key (docs/PROTOCOL.md 5.23).</summary>
    public const string Statements = "/statements";

    /// <summary>POST: a worker's contribution receipts, asked with a request signed by the account key (docs/PROTOCOL.md 5.23).</summary>
    public const string ContributionReceipts = "/contribution-receipts";

    /// <summary>POST: restore lookup of blind signatures by blinded message.</summary>
    public const string RestoreSignatures = "/restore/blind-signatures";

    /// <summary>POST: restore lookup of spent flags by coin id.</summary>
    public const string RestoreSpent = "/restore/spent";

    /// <summary>GET: the keyset directory.</summary>
    public const string Keysets = "/keysets";

    /// <summary>GET: the accreditation registry versions.</summary>
    public const string Registries = "/registries";

    /// <summary>GET: a freshly signed tree head.</summary>
    public const string TreeHead = "/log/tree-head";

    /// <summary>GET with <c>index</c> and <c>tree-size</c>: an inclusion proof.</summary>
    public const string InclusionProof = "/log/inclusion-proof";

    /// <summary>GET with <c>old-size</c> and <c>new-size</c>: a consistency proof.</summary>
    public const string ConsistencyProof = "/log/consistency-proof";

    /// <summary>GET <c>/log/entries/{index}</c>: one log entry.</summary>
    public const string LogEntries = "/log/entries";

    /// <summary>GET: the log's latest C2SP checkpoint note with the witness cosignatures the scheme collected (served by <c>MapWalletSchemeTiles</c>).</summary>
    public const string Checkpoint = "/checkpoint";

    /// <summary>The default prefix of a provider's endpoints.</summary>
    public const string DefaultProviderPrefix = "/provider";

    /// <summary>POST (provider): a payment submission. GET <c>/payments/{payment id in hex}</c> (provider): the payment's status.</summary>
    public const string Payments = "/payments";

    /// <summary>The request header that repeats the body's idempotency key, so proxies and logs can see it.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// POST <c>/payments/{payment id in hex}/receipt</c> (provider), with a holder proof: the payment's status with its
    /// spend receipt, for the wallet that holds the payment's coins (docs/http.md "Provider").
    /// </summary>
    public const string HolderReceipt = "/receipt";

    /// <summary>
    /// POST <c>/payments/{payment id in hex}/refunds</c> (provider), with a holder proof for refunds: the refunds the
    /// provider signed for the payment, for the wallet that holds its coins to claim at the scheme (docs/PROTOCOL.md 5.17).
    /// </summary>
    public const string HolderRefunds = "/refunds";

    /// <summary>GET <c>/requests/{payment id in hex}</c> (provider): a published payment request, as its offer (request and details).</summary>
    public const string PaymentRequests = "/requests";

    /// <summary>GET <c>/offers/{offer code}</c> (provider): a published payment request by its short offer code.</summary>
    public const string Offers = "/offers";
}
