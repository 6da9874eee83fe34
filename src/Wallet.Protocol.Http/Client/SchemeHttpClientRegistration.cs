namespace Wallet.Protocol.Http.Client;

/// <summary>
/// The registration both remote roles share, so the scheme client and the operator client cannot drift apart in how
/// their options are checked or how their named HttpClient retries and buffers.
/// </summary>
internal static class SchemeHttpClientRegistration
{
    /// <summary>
    /// Adds <typeparamref name="TOptions"/> (validated at start-up with their own check), the named HttpClient
    /// <paramref name="name"/> carrying the PB/1 resilience handler built from the options' transport, and a transient
    /// <typeparamref name="TService"/> made by <paramref name="create"/> over that client unless one is already
    /// registered.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddRemoteRole<TService, TOptions>(IServiceCollection services, string name, Action<TOptions>? configure, Func<HttpClient, TOptions, TService> create)
        where TService : class
        where TOptions : class, IRemoteRoleOptions
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.Validate() is null, TOptions.InvalidMessage).ValidateOnStart();
        var http = services.AddHttpClient(name).ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        http.AddResilienceHandler(SchemeResilience.HandlerName, (pipeline, context) =>
            SchemeResilience.Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value.Transport));
        // Added after the resilience handler, so inside it: each attempt reads its whole body under its own timeout.
        http.AddHttpMessageHandler(() => new ResponseBufferingHandler());
        services.TryAddTransient(sp => create(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(name),
            sp.GetRequiredService<IOptions<TOptions>>().Value));
        return services;
    }
}
