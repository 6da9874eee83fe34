namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the authenticated operator API onto an ASP.NET Core application (docs/http.md "Operator API").</summary>
public static class WalletOperatorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the scheme's operator surface (<see cref="ISchemeOperator"/>) under
    /// <see cref="WalletSchemeOperatorEndpointOptions.Prefix"/>: account keys, contributions, keyset announcements,
    /// registry and table publication, expiry, default allocation and ledger reads, with canonical binary bodies,
    /// RFC 9457 problems and <c>Idempotency-Key</c> replay. Every endpoint, including any the host adds to the
    /// returned group, requires the operator key or the named authorization policy.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="scheme">The operator surface (usually the <c>BenefitScheme</c>); null resolves <see cref="ISchemeOperator"/> from the services.</param>
    /// <param name="configure">Sets the authentication (required) and adjusts limits.</param>
    /// <returns>The route group, for more conventions (a host filter, a listener restriction).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">No authentication was configured, or no scheme was given and none is registered.</exception>
    /// <remarks>
    /// The prefix is separate from the wallet-facing endpoints so a host can serve it on another port or listener
    /// (<c>RequireHost</c>), or behind mutual TLS, and keep it off the public internet.
    /// </remarks>
    public static RouteGroupBuilder MapWalletSchemeOperator(this IEndpointRouteBuilder endpoints, ISchemeOperator? scheme, Action<WalletSchemeOperatorEndpointOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new WalletSchemeOperatorEndpointOptions();
        configure(options);
        options.Validate();
        scheme ??= endpoints.ServiceProvider.GetRequiredService<ISchemeOperator>();
        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("Wallet.Protocol.AspNetCore.Operator") ?? NullLogger.Instance;
        var handlers = new OperatorEndpoints(scheme, options, logger);

        var group = endpoints.MapGroup(options.Prefix);
        if (options.OperatorKeyHash is { } hash)
        {
            var authenticator = new OperatorKeyAuthenticator(hash);

            // A final convention, so it wraps whatever delegate routing built, for these endpoints and any the host adds.
            ((IEndpointConventionBuilder)group).Finally(builder =>
            {
                if (builder.RequestDelegate is { } inner)
                {
                    builder.RequestDelegate = async context =>
                    {
                        if (await authenticator.AuthenticateAsync(context).ConfigureAwait(false))
                        {
                            await inner(context).ConfigureAwait(false);
                        }
                    };
                }
            });
        }

        if (options.AuthorizationPolicy is { } policy)
        {
            group.RequireAuthorization(policy);
        }

        const string Tag = "operator";
        var read = EndpointDescriptions.Operator;
        var body = EndpointDescriptions.OperatorBody;
        group.MapGet(OperatorRoutes.SchemeKey, handlers.SchemeKey)
            .Read(Tag, "operatorGetSchemeKey", "The scheme's Ed25519 public key", [OperatorMediaTypes.SchemeKey], read);
        group.MapPost(OperatorRoutes.Accounts, handlers.RegisterAccount)
            .Exchange(Tag, "operatorRegisterAccount", "Register a worker account's key", OperatorMediaTypes.AccountKey, OperatorMediaTypes.Ack, body);
        group.MapPost(OperatorRoutes.Contributions, handlers.Contribute)
            .Exchange(Tag, "operatorContribute", "Credit one contribution", OperatorMediaTypes.Contribution, OperatorMediaTypes.ContributionResult, body);
        group.MapPost(OperatorRoutes.PayrollBatches, handlers.ContributeBatch)
            .Exchange(Tag, "operatorContributeBatch", "Credit a payroll batch in one transaction (PROTOCOL.md 5.21)", OperatorMediaTypes.PayrollBatch, OperatorMediaTypes.PayrollResults, [.. body, new(StatusCodes.Status400BadRequest, ProblemTypes.BatchTooLarge)]);
        group.MapPost(OperatorRoutes.Payouts, handlers.Payout)
            .Exchange(Tag, "operatorPayout", "Pay out part or all of a provider's payable (PROTOCOL.md 5.18)", OperatorMediaTypes.Payout, OperatorMediaTypes.PayoutResult, [.. body, EndpointDescriptions.Unavailable]);
        group.MapPost(OperatorRoutes.Keysets, handlers.AnnounceKeyset)
            .Exchange(Tag, "operatorAnnounceKeyset", "Generate a keyset key in the scheme and announce the keyset", OperatorMediaTypes.KeysetParameters, OperatorMediaTypes.Keyset, [.. body, EndpointDescriptions.Unavailable]);
        group.MapPost(OperatorRoutes.Registries, handlers.PublishRegistry)
            .Exchange(Tag, "operatorPublishRegistry", "Publish an accreditation registry version", OperatorMediaTypes.Registry, OperatorMediaTypes.Published, [.. body, EndpointDescriptions.Unavailable]);
        group.MapPost(OperatorRoutes.AllocationTables, handlers.PublishAllocationTable)
            .Exchange(Tag, "operatorPublishAllocationTable", "Publish a default-allocation table version", OperatorMediaTypes.AllocationTable, OperatorMediaTypes.Published, [.. body, EndpointDescriptions.Unavailable]);
        group.MapPost(OperatorRoutes.FundsTables, handlers.PublishFundsTable)
            .Exchange(Tag, "operatorPublishFundsTable", "Publish a funds table version: which fund each contribution source credits (PROTOCOL.md 5.22)", OperatorMediaTypes.FundsTable, OperatorMediaTypes.Published, [.. body, EndpointDescriptions.Unavailable]);
        group.MapPost(OperatorRoutes.Expiries, handlers.ExpireKeyset)
            .Exchange(Tag, "operatorExpireKeyset", "Close a keyset after its deposit window", OperatorMediaTypes.KeysetId, OperatorMediaTypes.LogRecord, [.. body, EndpointDescriptions.Unavailable]);
        group.MapPost(OperatorRoutes.Reversals, handlers.ReverseWithdrawals)
            .Exchange(Tag, "operatorReverseWithdrawals", "Return a revoked keyset's unissued withdrawals to the workers (PROTOCOL.md 5.3)", OperatorMediaTypes.KeysetId, OperatorMediaTypes.ReversalSummary, [.. body, EndpointDescriptions.Unavailable]);
        group.MapPost(OperatorRoutes.ExpiredAllocations, handlers.AllocateExpired)
            .Exchange(Tag, "operatorAllocateExpired", "Allocate an expired keyset's value by the default-allocation table", OperatorMediaTypes.KeysetId, OperatorMediaTypes.LogRecord, [.. body, EndpointDescriptions.Unavailable]);
        group.MapPost(OperatorRoutes.UnwithdrawnAllocations, handlers.AllocateUnwithdrawn)
            .Exchange(Tag, "operatorAllocateUnwithdrawn", "Allocate never-withdrawn balances in one round", OperatorMediaTypes.AllocationRound, OperatorMediaTypes.LogRecord, [.. body, EndpointDescriptions.Unavailable]);
        group.MapPost(OperatorRoutes.LedgerCheckpoints, handlers.LogLedgerCheckpoint)
            .Exchange(Tag, "operatorLogLedgerCheckpoint", "Log a ledger checkpoint (PROTOCOL.md 5.15)", OperatorMediaTypes.LedgerCheckpointRequest, OperatorMediaTypes.LogRecord, [.. body, EndpointDescriptions.Unavailable]);
        group.MapPost(OperatorRoutes.Balance, handlers.Balance)
            .Exchange(Tag, "operatorGetBalance", "A ledger account's balance (read only)", OperatorMediaTypes.LedgerAccount, OperatorMediaTypes.Balance, body);
        group.MapPost(OperatorRoutes.KeysetTotals, handlers.KeysetTotals)
            .Exchange(Tag, "operatorGetKeysetTotals", "A keyset's ledger totals (read only)", OperatorMediaTypes.KeysetId, OperatorMediaTypes.KeysetTotals, body);
        group.MapGet(OperatorRoutes.LedgerVerification, handlers.LedgerVerification)
            .Read(Tag, "operatorVerifyLedger", "Replay and verify the ledger", [OperatorMediaTypes.LedgerVerification], read);
        return group;
    }
}
