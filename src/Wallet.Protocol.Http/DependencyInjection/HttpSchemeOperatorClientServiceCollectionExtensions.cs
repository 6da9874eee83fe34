namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="HttpSchemeOperatorClient"/> as the <see cref="ISchemeOperator"/> through IHttpClientFactory.</summary>
public static class HttpSchemeOperatorClientServiceCollectionExtensions
{
    /// <summary>The name of the HttpClient the factory builds for the operator API (add handlers, such as a client certificate, with <c>AddHttpClient(Name)</c>).</summary>
    public const string HttpClientName = "Wallet.Protocol.Http.SchemeOperator";

    /// <summary>
    /// Registers the options (validated at start-up), a named HttpClient and a transient <see cref="ISchemeOperator"/>
    /// backed by it. Existing <see cref="ISchemeOperator"/> registrations are kept.
    /// </summary>
    /// <remarks>
    /// The named client carries the same resilience handler as the scheme client's, built from
    /// <see cref="HttpSchemeOperatorClientOptions.Transport"/>; every retry of a write re-sends its Idempotency-Key.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; the transport's base address is required.</param>
    /// <returns>The same services.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddHttpSchemeOperatorClient(this IServiceCollection services, Action<HttpSchemeOperatorClientOptions>? configure = null) =>
        SchemeHttpClientRegistration.AddRemoteRole<ISchemeOperator, HttpSchemeOperatorClientOptions>(services, HttpClientName, configure, (http, options) => new HttpSchemeOperatorClient(http, options, ResiliencePipeline<HttpResponseMessage>.Empty));
}
