namespace Wallet.Protocol.Binding;

/// <summary>
/// The RFC 9457 problem type URIs of PB/1 over HTTP. The namespace <c>https://walletcore.invalid/problems/</c> is
/// stable: a client branches on these strings, never on titles. Expected protocol outcomes (insufficient funds,
/// double spend, ...) are never problems: they are 200 responses carrying an encoded result.
/// </summary>
/// <remarks>RFC 9457 section 3.1.1; the <c>.invalid</c> TLD (RFC 2606) keeps the URIs unresolvable by design.</remarks>
public static class ProblemTypes
{
    /// <summary>The namespace every type URI starts with.</summary>
    public const string Namespace = "https://walletcore.invalid/problems/";

    /// <summary>400: the body is not a valid encoding of the message the endpoint takes.</summary>
    public const string MalformedMessage = Namespace + "malformed-message";

    /// <summary>400: a query or route parameter is missing or not a number.</summary>
    public const string InvalidParameter = Namespace + "invalid-parameter";

    /// <summary>400: a log index or tree size lies outside the log.</summary>
    public const string OutOfRange = Namespace + "out-of-range";

    /// <summary>400: the list or batch has more items than the server accepts.</summary>
    public const string BatchTooLarge = Namespace + "batch-too-large";

    /// <summary>400: the <c>Idempotency-Key</c> header differs from the key inside the signed body, is sent twice, or is not a key (1 to 128 printable ASCII characters, no spaces).</summary>
    public const string IdempotencyKeyMismatch = Namespace + "idempotency-key-mismatch";

    /// <summary>404: nothing at that log index (or path).</summary>
    public const string NotFound = Namespace + "not-found";

    /// <summary>408: the client sent its body too slowly.</summary>
    public const string RequestTimeout = Namespace + "request-timeout";

    /// <summary>413: the body is larger than the server accepts.</summary>
    public const string BodyTooLarge = Namespace + "body-too-large";

    /// <summary>415: the Content-Type is not the endpoint's media type.</summary>
    public const string UnsupportedMediaType = Namespace + "unsupported-media-type";

    /// <summary>429: the account's withdrawal rate limit, or the Privacy Pass issuer's token limit, is exhausted; see <c>Retry-After</c>.</summary>
    public const string RateLimited = Namespace + "rate-limited";

    /// <summary>500: the server failed; the response says nothing more (details are in the server's log only).</summary>
    public const string Internal = Namespace + "internal";

    /// <summary>
    /// 503: the scheme's shared write lock could not be taken, or this node lost it while the request ran (its database
    /// session ended); see <c>Retry-After</c>. The same request sent again, to this node or another, finishes it once.
    /// </summary>
    public const string Unavailable = Namespace + "unavailable";

    /// <summary>401: the operator API was called without the operator key, or with a wrong one, or an issuing endpoint's attester did not recognise the caller; see <c>WWW-Authenticate</c>.</summary>
    public const string Unauthorized = Namespace + "unauthorized";

    /// <summary>403: an issuing endpoint's attester (withdrawals, Privacy Pass tokens) refused the caller.</summary>
    public const string Forbidden = Namespace + "forbidden";

    /// <summary>422: an operator request reused an <c>Idempotency-Key</c> with a different body.</summary>
    public const string IdempotencyKeyReused = Namespace + "idempotency-key-reused";

    /// <summary>422: the scheme refused an operator request it could decode (for example a keyset key reused with other parameters, or an account listed twice in a round).</summary>
    public const string RejectedOperation = Namespace + "rejected-operation";

    /// <summary>400: a Privacy Pass token request with an unsupported type, unknown key id or wrong length (RFC 9578 section 6.2).</summary>
    public const string InvalidTokenRequest = Namespace + "invalid-token-request";

    /// <summary>403: a holder proof was refused: another provider, purpose or payment, not exactly the payment's coins, or a bad signature.</summary>
    public const string HolderProofRefused = Namespace + "holder-proof-refused";

    /// <summary>403: a holder proof's time lies outside the provider's window; sign a new one (the response's <c>Date</c> is the provider's clock).</summary>
    public const string HolderProofStale = Namespace + "holder-proof-stale";

    /// <summary>409: the provider already accepted this very holder proof; sign a new one.</summary>
    public const string HolderProofReplayed = Namespace + "holder-proof-replayed";

    /// <summary>410: the published payment request is paid or expired and takes no more coins.</summary>
    public const string RequestClosed = Namespace + "request-closed";
}
