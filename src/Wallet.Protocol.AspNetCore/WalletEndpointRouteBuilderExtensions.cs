using Wallet.Protocol.Schemes;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps PB/1 and Privacy Pass endpoints onto an ASP.NET Core application (docs/http.md).</summary>
public static class WalletEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the scheme's network surface (<see cref="ISchemeClient"/>) under <see cref="WalletSchemeEndpointOptions.Prefix"/>:
    /// withdrawals, deposits, restore queries, keyset directory, registries and log, with canonical binary bodies,
    /// RFC 9457 problems for malformed requests, and 200 results for every protocol outcome.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="scheme">The scheme (usually the <c>BenefitScheme</c>); null resolves <see cref="ISchemeClient"/> from the services.</param>
    /// <param name="configure">Adjusts limits, caching, the withdrawal attester and the withdrawal rate limiter.</param>
    /// <returns>The route group, for conventions such as authorization.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">No scheme was given and none is registered.</exception>
    public static RouteGroupBuilder MapWalletScheme(this IEndpointRouteBuilder endpoints, ISchemeClient? scheme = null, Action<WalletSchemeEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = new WalletSchemeEndpointOptions();
        configure?.Invoke(options);
        options.Validate();
        scheme ??= endpoints.ServiceProvider.GetRequiredService<ISchemeClient>();
        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("Wallet.Protocol.AspNetCore.Scheme") ?? NullLogger.Instance;
        var handlers = new SchemeEndpoints(scheme, options, logger);

        var group = endpoints.MapGroup(options.Prefix);
        const string Tag = "scheme";
        var batch = EndpointDescriptions.Batch;
        group.MapPost(SchemeRoutes.Withdrawals, handlers.Withdraw)
            .Exchange(Tag, "withdraw", "Withdraw coins: debit the account and blind-sign (PROTOCOL.md 5.3)", PbMediaTypes.WithdrawalRequest, PbMediaTypes.WithdrawalResult, [.. batch, .. EndpointDescriptions.Issuance, EndpointDescriptions.Unavailable]);
        group.MapPost(SchemeRoutes.Deposits, handlers.Deposit)
            .Exchange(Tag, "deposit", "Deposit a provider's batch of coin spends (PROTOCOL.md 5.5)", PbMediaTypes.DepositRequest, PbMediaTypes.DepositResult, [.. batch, EndpointDescriptions.Unavailable]);
        group.MapPost(SchemeRoutes.Swaps, handlers.Swap)
            .Exchange(Tag, "swap", "Swap coins anonymously for exact change or rollover (PROTOCOL.md 5.10)", PbMediaTypes.SwapRequest, PbMediaTypes.SwapResult, [.. batch, EndpointDescriptions.Unavailable]);
        group.MapPost(SchemeRoutes.Recoveries, handlers.Recover)
            .Exchange(Tag, "recover", "Recover coins of a revoked keyset, signed by the account", PbMediaTypes.RecoveryRequest, PbMediaTypes.SwapResult, [.. batch, EndpointDescriptions.Unavailable]);
        group.MapPost(SchemeRoutes.RefundClaims, handlers.ClaimRefund)
            .Exchange(Tag, "claimRefund", "Claim a provider's refund with the refunded coins' keys (PROTOCOL.md 5.17)", PbMediaTypes.RefundClaimRequest, PbMediaTypes.RefundClaimResult, [.. batch, EndpointDescriptions.Unavailable]);
        group.MapPost(SchemeRoutes.Statements, handlers.Statement)
            .Exchange(Tag, "getStatement", "The worker's statement: balances per fund, contributions and withdrawals, asked with the account key (PROTOCOL.md 5.23)", PbMediaTypes.StatementRequest, PbMediaTypes.StatementResult, batch);
        group.MapPost(SchemeRoutes.ContributionReceipts, handlers.ContributionReceipts)
            .Exchange(Tag, "getContributionReceipts", "The worker's contribution receipts, signed by the scheme, asked with the account key (PROTOCOL.md 5.23)", PbMediaTypes.StatementRequest, PbMediaTypes.ContributionReceipts, batch);
        group.MapPost(SchemeRoutes.RestoreSignatures, handlers.FindBlindSignatures)
            .Exchange(Tag, "findBlindSignatures", "Restore: the blind signatures issued for these blinded messages", PbMediaTypes.BlindedMessages, PbMediaTypes.BlindSignatures, batch);
        group.MapPost(SchemeRoutes.RestoreSpent, handlers.AreSpent)
            .Exchange(Tag, "areSpent", "Restore: which of these coins are spent", PbMediaTypes.CoinIds, PbMediaTypes.SpentFlags, batch);
        group.MapGet(SchemeRoutes.Keysets, handlers.Keysets)
            .Read(Tag, "listKeysets", "The keyset directory (binary, or JSON for people)", [PbMediaTypes.Keysets, PbMediaTypes.Json]).NotModified();
        group.MapGet(SchemeRoutes.Registries, handlers.Registries)
            .Read(Tag, "listRegistries", "Every accreditation registry version (binary, or JSON for people)", [PbMediaTypes.Registries, PbMediaTypes.Json]).NotModified();
        group.MapGet(SchemeRoutes.TreeHead, handlers.TreeHead)
            .Read(Tag, "getTreeHead", "A freshly signed tree head of the log (binary, or JSON for people)", [PbMediaTypes.TreeHead, PbMediaTypes.Json]).NotModified();
        group.MapGet(SchemeRoutes.InclusionProof, handlers.InclusionProof)
            .Read(Tag, "getInclusionProof", "An RFC 9162 inclusion proof of the entry at index in the tree of tree-size", [PbMediaTypes.InclusionProof], EndpointDescriptions.InvalidParameter, new(StatusCodes.Status400BadRequest, ProblemTypes.OutOfRange))
            .Query("index", "tree-size");
        group.MapGet(SchemeRoutes.ConsistencyProof, handlers.ConsistencyProof)
            .Read(Tag, "getConsistencyProof", "An RFC 9162 consistency proof between the trees of old-size and new-size", [PbMediaTypes.ConsistencyProof], EndpointDescriptions.InvalidParameter, new(StatusCodes.Status400BadRequest, ProblemTypes.OutOfRange))
            .Query("old-size", "new-size");
        group.MapGet(SchemeRoutes.LogEntries + "/{index}", handlers.LogEntry)
            .Read(Tag, "getLogEntry", "One log entry by index", [PbMediaTypes.LogEntry], EndpointDescriptions.InvalidParameter, EndpointDescriptions.NotFound);
        return group;
    }

    /// <summary>
    /// Maps the scheme's transparency log as a C2SP tiled log: <c>GET {prefix}/checkpoint</c> (the scheme's latest
    /// checkpoint note with the witness cosignatures it collected, <see cref="BenefitScheme.GetCheckpointAsync"/>, <c>text/plain</c>), <c>GET {prefix}/tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> (hash tiles) and
    /// <c>GET {prefix}/tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c> (entry bundles). Full tiles are cached as immutable; partial
    /// tiles and the checkpoint briefly. Malformed paths answer 400 and tiles the log does not hold 404, as RFC 9457 problems.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="scheme">The scheme whose log is served.</param>
    /// <param name="configure">Sets the prefix and the cache ages, and may repeat the scheme's origin as a check.</param>
    /// <returns>The route group.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/>, <paramref name="scheme"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid (an origin that breaks the <see cref="LogOrigin"/> convention or is not the scheme's).</exception>
    /// <remarks>C2SP tlog-tiles and tlog-checkpoint; docs/http.md "Tiled log" and docs/PROTOCOL.md 5.14 and 5.16.</remarks>
    public static RouteGroupBuilder MapWalletSchemeTiles(this IEndpointRouteBuilder endpoints, BenefitScheme scheme, Action<WalletTileEndpointOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new WalletTileEndpointOptions();
        configure(options);
        options.Validate();
        if (options.Origin is not null && options.Origin != scheme.CheckpointOrigin)
        {
            throw new ArgumentException($"Origin '{options.Origin}' is not the scheme's CheckpointOrigin '{scheme.CheckpointOrigin}'.", nameof(configure));
        }

        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("Wallet.Protocol.AspNetCore.Tiles") ?? NullLogger.Instance;
        var handlers = new TileEndpoints(scheme, options, logger);
        var group = endpoints.MapGroup(options.Prefix);
        group.MapGet("/checkpoint", handlers.Checkpoint)
            .Read("tiles", "getCheckpoint", "The log's latest C2SP checkpoint note with the witness cosignatures collected", ["text/plain"]);
        group.MapGet("/tile/{**path}", handlers.Tile)
            .Read("tiles", "getTile", "A C2SP tlog-tiles hash tile or entry bundle, full or partial (<L>/<N>[.p/<W>], entries/<N>[.p/<W>])", ["application/octet-stream"], EndpointDescriptions.InvalidParameter, EndpointDescriptions.NotFound);
        return group;
    }

    /// <summary>
    /// Maps an accredited provider's wallet-facing endpoints: <c>POST {prefix}/payments</c> takes a payment submission
    /// (payment request and coin spends) and answers the provider's verdict, with keysets from the scheme's directory;
    /// <c>GET {prefix}/payments/{payment id in hex}</c> answers where the payment stands (paid with the spend receipt,
    /// or rejected with the reason), 404 for a payment the provider does not know.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="scheme">Where the provider reads the keyset directory (in process or an <c>HttpSchemeClient</c>).</param>
    /// <param name="prefix">The route prefix; default <c>/provider</c>.</param>
    /// <param name="maxBodyBytes">The largest submission accepted; default 1 MiB.</param>
    /// <param name="maxRememberedPayments">
    /// How many accepted submissions are remembered so that a re-sent one hears "accepted" again; the oldest are
    /// forgotten first (a forgotten one hears "unknown request": the provider never accepts a payment twice). Default 10,000.
    /// </param>
    /// <returns>The route group.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> does not start with '/', <paramref name="maxBodyBytes"/> is below 1024, or <paramref name="maxRememberedPayments"/> is below 1.</exception>
    public static RouteGroupBuilder MapWalletProvider(this IEndpointRouteBuilder endpoints, AccreditedProvider provider, ISchemeClient scheme, string prefix = SchemeRoutes.DefaultProviderPrefix, int maxBodyBytes = 1024 * 1024, int maxRememberedPayments = 10_000)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(scheme);
        if (string.IsNullOrEmpty(prefix) || prefix[0] != '/')
        {
            throw new ArgumentException("The prefix must start with '/'.", nameof(prefix));
        }

        if (maxBodyBytes < 1024)
        {
            throw new ArgumentException("The body limit must be at least 1024 bytes.", nameof(maxBodyBytes));
        }

        if (maxRememberedPayments < 1)
        {
            throw new ArgumentException("At least one accepted payment is remembered.", nameof(maxRememberedPayments));
        }

        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("Wallet.Protocol.AspNetCore.Provider") ?? NullLogger.Instance;
        var handlers = new ProviderEndpoints(provider, scheme, maxBodyBytes, maxRememberedPayments, logger);
        var group = endpoints.MapGroup(prefix);
        const string Tag = "provider";
        ProblemRow[] holder =
        [
            .. EndpointDescriptions.Body, EndpointDescriptions.InvalidParameter, EndpointDescriptions.NotFound,
            new(StatusCodes.Status403Forbidden, ProblemTypes.HolderProofRefused), new(StatusCodes.Status403Forbidden, ProblemTypes.HolderProofStale),
            new(StatusCodes.Status409Conflict, ProblemTypes.HolderProofReplayed), new(StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited),
        ];
        group.MapPost(SchemeRoutes.Payments, handlers.Pay)
            .Exchange(Tag, "submitPayment", "Pay a provider: the payment request and the wallet's coin spends (PROTOCOL.md 5.4)", PbMediaTypes.PaymentSubmission, PbMediaTypes.PaymentResult, EndpointDescriptions.Body);
        group.MapGet(SchemeRoutes.Payments + "/{payment}", handlers.Status)
            .Read(Tag, "getPaymentStatus", "Where a payment stands; payment: the request's SHA-256, 64 hex digits", [PbMediaTypes.PaymentStatus], EndpointDescriptions.InvalidParameter, EndpointDescriptions.NotFound);
        group.MapPost(SchemeRoutes.Payments + "/{payment}" + SchemeRoutes.HolderReceipt, handlers.HolderReceipt)
            .Exchange(Tag, "getSpendReceipt", "The payment's status with its receipt, for the holder of its coins (PROTOCOL.md 5.20)", PbMediaTypes.HolderProof, PbMediaTypes.PaymentStatus, holder);
        group.MapPost(SchemeRoutes.Payments + "/{payment}" + SchemeRoutes.HolderRefunds, handlers.HolderRefunds)
            .Exchange(Tag, "getPaymentRefunds", "The refunds the provider signed for a payment, for the holder of its coins (PROTOCOL.md 5.17)", PbMediaTypes.HolderProof, PbMediaTypes.PaymentRefunds, holder);
        group.MapGet(SchemeRoutes.PaymentRequests + "/{payment}", handlers.PublishedRequest)
            .Read(Tag, "getPaymentRequest", "A published, open payment request as its offer, by payment id", [PbMediaTypes.PaymentOffer], EndpointDescriptions.InvalidParameter, EndpointDescriptions.NotFound, new(StatusCodes.Status410Gone, ProblemTypes.RequestClosed));
        group.MapGet(SchemeRoutes.Offers + "/{code}", handlers.Offer)
            .Read(Tag, "getPaymentOffer", "A published, open payment request as its offer, by its 10-character offer code", [PbMediaTypes.PaymentOffer], EndpointDescriptions.InvalidParameter, EndpointDescriptions.NotFound, new(StatusCodes.Status410Gone, ProblemTypes.RequestClosed));
        group.MapGet(MandateRoutes.Mandate, handlers.Mandate)
            .Read(Tag, "getDuesMandate", "A signed dues mandate; mandate: 64 hex digits (PROTOCOL.md 5.19)", [MandateRoutes.MandateMediaType], EndpointDescriptions.InvalidParameter, EndpointDescriptions.NotFound);
        group.MapPost(MandateRoutes.PeriodRequest, handlers.MandatePeriodRequest)
            .Read(Tag, "requestMandatePeriod", "The union's payment request for one period of a mandate (empty body)", [MandateRoutes.PaymentOfferMediaType], EndpointDescriptions.InvalidParameter, EndpointDescriptions.NotFound);
        group.MapGet(MandateRoutes.Statement, handlers.MandateStatement)
            .Read(Tag, "getPaidUpStatement", "A paid-up statement of a mandate, signed now (PROTOCOL.md 5.19)", [MandateRoutes.StatementMediaType], EndpointDescriptions.InvalidParameter, EndpointDescriptions.NotFound);
        return group;
    }

    /// <summary>
    /// Maps a Privacy Pass issuer for token type 0x0002: the issuer directory at
    /// <c>/.well-known/private-token-issuer-directory</c> and the issuance endpoint at <see cref="PrivacyPassIssuerOptions.RequestPath"/>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="issuer">The issuer.</param>
    /// <param name="configure">Adjusts the request path, the directory's cache age, the attester and the token rate limiter.</param>
    /// <returns>The issuance endpoint, for conventions such as authorization or the host's own rate limiting.</returns>
    /// <remarks>
    /// RFC 9578 sections 4 (configuration) and 6 (issuance). Without <see cref="PrivacyPassIssuerOptions.Attester"/> and
    /// <see cref="PrivacyPassIssuerOptions.RateLimiter"/> any client obtains as many tokens as it asks for.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="issuer"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static IEndpointConventionBuilder MapPrivacyPassIssuer(this IEndpointRouteBuilder endpoints, PrivacyPassIssuer issuer, Action<PrivacyPassIssuerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(issuer);
        var options = new PrivacyPassIssuerOptions();
        configure?.Invoke(options);
        options.Validate();

        var handlers = new PrivacyPassEndpoints(issuer, options);
        endpoints.MapGet(PrivacyPassMediaTypes.IssuerDirectoryPath, handlers.Directory)
            .Read("privacy-pass", "getTokenIssuerDirectory", "The RFC 9578 issuer directory (token type 2)", [PrivacyPassMediaTypes.IssuerDirectory]);
        return endpoints.MapPost(options.RequestPath, handlers.Issue)
            .Exchange("privacy-pass", "issueToken", "Issue a Privacy Pass token: RFC 9578 section 6 token request and response", PrivacyPassMediaTypes.TokenRequest, PrivacyPassMediaTypes.TokenResponse, [.. EndpointDescriptions.Body, .. EndpointDescriptions.Issuance, new(StatusCodes.Status422UnprocessableEntity, ProblemTypes.InvalidTokenRequest)]);
    }
}
