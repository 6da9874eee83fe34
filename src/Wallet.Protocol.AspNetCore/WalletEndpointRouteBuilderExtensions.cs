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
        group.MapPost(SchemeRoutes.Withdrawals, handlers.Withdraw);
        group.MapPost(SchemeRoutes.Deposits, handlers.Deposit);
        group.MapPost(SchemeRoutes.Swaps, handlers.Swap);
        group.MapPost(SchemeRoutes.Recoveries, handlers.Recover);
        group.MapPost(SchemeRoutes.RefundClaims, handlers.ClaimRefund);
        group.MapPost(SchemeRoutes.Statements, handlers.Statement);
        group.MapPost(SchemeRoutes.ContributionReceipts, handlers.ContributionReceipts);
        group.MapPost(SchemeRoutes.RestoreSignatures, handlers.FindBlindSignatures);
        group.MapPost(SchemeRoutes.RestoreSpent, handlers.AreSpent);
        group.MapGet(SchemeRoutes.Keysets, handlers.Keysets);
        group.MapGet(SchemeRoutes.Registries, handlers.Registries);
        group.MapGet(SchemeRoutes.TreeHead, handlers.TreeHead);
        group.MapGet(SchemeRoutes.InclusionProof, handlers.InclusionProof);
        group.MapGet(SchemeRoutes.ConsistencyProof, handlers.ConsistencyProof);
        group.MapGet(SchemeRoutes.LogEntries + "/{index}", handlers.LogEntry);
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
        group.MapGet("/checkpoint", handlers.Checkpoint);
        group.MapGet("/tile/{**path}", handlers.Tile);
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
        group.MapPost(SchemeRoutes.Payments, handlers.Pay);
        group.MapGet(SchemeRoutes.Payments + "/{payment}", handlers.Status);
        group.MapPost(SchemeRoutes.Payments + "/{payment}" + SchemeRoutes.HolderReceipt, handlers.HolderReceipt);
        group.MapPost(SchemeRoutes.Payments + "/{payment}" + SchemeRoutes.HolderRefunds, handlers.HolderRefunds);
        group.MapGet(SchemeRoutes.PaymentRequests + "/{payment}", handlers.PublishedRequest);
        group.MapGet(SchemeRoutes.Offers + "/{code}", handlers.Offer);
        group.MapGet(MandateRoutes.Mandate, handlers.Mandate);
        group.MapPost(MandateRoutes.PeriodRequest, handlers.MandatePeriodRequest);
        group.MapGet(MandateRoutes.Statement, handlers.MandateStatement);
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
        endpoints.MapGet(PrivacyPassMediaTypes.IssuerDirectoryPath, handlers.Directory);
        return endpoints.MapPost(options.RequestPath, handlers.Issue);
    }
}
