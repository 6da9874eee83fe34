namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="HttpSchemeClient"/> as the <see cref="ISchemeClient"/> through IHttpClientFactory.</summary>
public static class HttpSchemeClientServiceCollectionExtensions
{
    /// <summary>The name of the HttpClient the factory builds for the scheme (add handlers to it with <c>AddHttpClient(Name)</c>).</summary>
    public const string HttpClientName = "Wallet.Protocol.Http.Scheme";

    /// <summary>
    /// Registers the options (validated at start-up), a named HttpClient and a transient <see cref="ISchemeClient"/>
    /// backed by it. Existing <see cref="ISchemeClient"/> registrations are kept.
    /// </summary>
    /// <remarks>
    /// The named client carries a resilience handler (Microsoft.Extensions.Http.Resilience) built from the options: the
    /// retry with exponential backoff and jitter outside an attempt timeout, re-sending the same request message. Its own
    /// <see cref="HttpClient.Timeout"/> is infinite, so only the attempt timeout and the caller's token bound a call.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see cref="HttpSchemeClientOptions.BaseAddress"/> is required.</param>
    /// <returns>The same services.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddHttpSchemeClient(this IServiceCollection services, Action<HttpSchemeClientOptions>? configure = null) =>
        SchemeHttpClientRegistration.AddRemoteRole<ISchemeClient, HttpSchemeClientOptions>(services, HttpClientName, configure, (http, options) => new HttpSchemeClient(http, options, ResiliencePipeline<HttpResponseMessage>.Empty));
}
