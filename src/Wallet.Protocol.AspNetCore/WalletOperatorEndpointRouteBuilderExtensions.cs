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

        group.MapGet(OperatorRoutes.SchemeKey, handlers.SchemeKey);
        group.MapPost(OperatorRoutes.Accounts, handlers.RegisterAccount);
        group.MapPost(OperatorRoutes.Contributions, handlers.Contribute);
        group.MapPost(OperatorRoutes.PayrollBatches, handlers.ContributeBatch);
        group.MapPost(OperatorRoutes.Payouts, handlers.Payout);
        group.MapPost(OperatorRoutes.Keysets, handlers.AnnounceKeyset);
        group.MapPost(OperatorRoutes.Registries, handlers.PublishRegistry);
        group.MapPost(OperatorRoutes.AllocationTables, handlers.PublishAllocationTable);
        group.MapPost(OperatorRoutes.FundsTables, handlers.PublishFundsTable);
        group.MapPost(OperatorRoutes.Expiries, handlers.ExpireKeyset);
        group.MapPost(OperatorRoutes.Reversals, handlers.ReverseWithdrawals);
        group.MapPost(OperatorRoutes.ExpiredAllocations, handlers.AllocateExpired);
        group.MapPost(OperatorRoutes.UnwithdrawnAllocations, handlers.AllocateUnwithdrawn);
        group.MapPost(OperatorRoutes.LedgerCheckpoints, handlers.LogLedgerCheckpoint);
        group.MapPost(OperatorRoutes.Balance, handlers.Balance);
        group.MapPost(OperatorRoutes.KeysetTotals, handlers.KeysetTotals);
        group.MapGet(OperatorRoutes.LedgerVerification, handlers.LedgerVerification);
        return group;
    }
}
