using Microsoft.AspNetCore.Builder;

namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The OpenAPI description of every endpoint, as endpoint metadata (name, summary, tag, request and response media
/// types, and per status code the RFC 9457 problem types it may answer), so a host's OpenAPI generator
/// (<c>Microsoft.AspNetCore.OpenApi</c> with <c>AddWalletDescriptions</c>) describes the routes that are really mapped
/// (docs/http.md, docs/openapi).
/// Bodies are canonical binary encodings, described as <c>string</c>/<c>binary</c> under their own media type.
/// </summary>
internal static class EndpointDescriptions
{
    /// <summary>What goes wrong reading any bounded body (<see cref="RequestBodies"/>, Kestrel's limits).</summary>
    public static readonly ProblemRow[] Body =
    [
        new(StatusCodes.Status400BadRequest, ProblemTypes.MalformedMessage),
        new(StatusCodes.Status408RequestTimeout, ProblemTypes.RequestTimeout),
        new(StatusCodes.Status413PayloadTooLarge, ProblemTypes.BodyTooLarge),
        new(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType),
    ];

    /// <summary>A signed batch of the scheme API (docs/http.md "Endpoints"): its key header and its item limit.</summary>
    public static readonly ProblemRow[] Batch =
    [
        .. Body,
        new(StatusCodes.Status400BadRequest, ProblemTypes.BatchTooLarge),
        new(StatusCodes.Status400BadRequest, ProblemTypes.IdempotencyKeyMismatch),
    ];

    /// <summary>An issuing endpoint's attester and rate limiter (withdrawals, Privacy Pass tokens).</summary>
    public static readonly ProblemRow[] Issuance =
    [
        new(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized),
        new(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden),
        new(StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited),
    ];

    /// <summary>Every operator request: the operator key (or the host's policy) comes first.</summary>
    public static readonly ProblemRow[] Operator = [new(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized)];

    /// <summary>An operator request with a body, answered once per <c>Idempotency-Key</c>.</summary>
    public static readonly ProblemRow[] OperatorBody =
    [
        .. Operator,
        .. Body,
        new(StatusCodes.Status400BadRequest, ProblemTypes.IdempotencyKeyMismatch),
        new(StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused),
        new(StatusCodes.Status422UnprocessableEntity, ProblemTypes.RejectedOperation),
    ];

    /// <summary>A route or query number, or a 64-hex-digit id, that does not parse.</summary>
    public static readonly ProblemRow InvalidParameter = new(StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter);

    /// <summary>The scheme's shared write lock could not be held (endpoints whose operation runs under it).</summary>
    public static readonly ProblemRow Unavailable = new(StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable);

    /// <summary>Nothing at that index, id or path.</summary>
    public static readonly ProblemRow NotFound = new(StatusCodes.Status404NotFound, ProblemTypes.NotFound);

    /// <summary>
    /// Describes a POST that takes one binary body and answers another: operation id <paramref name="name"/>, the
    /// request and 200 media types, and the problems (500 <c>internal</c> is always added).
    /// </summary>
    public static TBuilder Exchange<TBuilder>(this TBuilder endpoint, string tag, string name, string summary, string requestType, string responseType, params ProblemRow[] problems)
        where TBuilder : IEndpointConventionBuilder =>
        // Not IAcceptsMetadata: routing would enforce it with a bare 415, where the endpoints answer a typed problem
        // (RequestBodies). WalletOpenApiOptionsExtensions turns this into the operation's request body.
        endpoint.WithMetadata(new RequestBodyDescription(requestType))
            .Describe(tag, name, summary, Binary(StatusCodes.Status200OK, "The encoded answer (docs/http.md \"Bodies\"); every protocol outcome is a 200.", responseType), problems);

    /// <summary>Describes a read (GET, or a POST without a body) answering <paramref name="responseTypes"/> on 200.</summary>
    public static TBuilder Read<TBuilder>(this TBuilder endpoint, string tag, string name, string summary, string[] responseTypes, params ProblemRow[] problems)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.Describe(tag, name, summary, Binary(StatusCodes.Status200OK, "The encoded answer (docs/http.md \"Bodies\").", responseTypes), problems);

    /// <summary>Names the required query parameters (unsigned decimal integers) the handler reads itself.</summary>
    public static TBuilder Query<TBuilder>(this TBuilder endpoint, params string[] names)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata([.. names.Select(n => new QueryParameterDescription(n))]);

    /// <summary>Adds a 304 answer to a conditional GET (<c>If-None-Match</c> matched the <c>ETag</c>).</summary>
    public static TBuilder NotModified<TBuilder>(this TBuilder endpoint)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)) { Description = "If-None-Match matched the ETag." });

    /// <summary>Describes a health probe, answering GET only: its status word as <c>text/plain</c>, 200 <c>Healthy</c> or 503 <c>Unhealthy</c>.</summary>
    public static TBuilder Probe<TBuilder>(this TBuilder endpoint, string name, string summary)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.Name("health", name, summary).WithMetadata(
            new HttpMethodMetadata([HttpMethods.Get]),
            new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/plain"]) { Description = "Healthy (or Degraded)." },
            new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(string), ["text/plain"]) { Description = "Unhealthy." });

    private static TBuilder Describe<TBuilder>(this TBuilder endpoint, string tag, string name, string summary, ProducesResponseTypeMetadata success, ProblemRow[] problems)
        where TBuilder : IEndpointConventionBuilder
    {
        endpoint.Name(tag, name, summary).WithMetadata(success);
        foreach (var status in problems.Append(new(StatusCodes.Status500InternalServerError, ProblemTypes.Internal)).GroupBy(p => p.Status).OrderBy(g => g.Key))
        {
            // One response per status code; its description names every problem type the endpoint may answer with it.
            string types = string.Join(", ", status.Select(p => p.Type).Distinct(StringComparer.Ordinal));
            endpoint.WithMetadata(new ProducesResponseTypeMetadata(status.Key, typeof(ProblemDetails), [PbMediaTypes.Problem]) { Description = "Problem types: " + types });
        }

        return endpoint;
    }

    private static TBuilder Name<TBuilder>(this TBuilder endpoint, string tag, string name, string summary)
        where TBuilder : IEndpointConventionBuilder
    {
        // API explorers describe only endpoints whose metadata holds the handler's method, which routing adds for
        // delegates it binds itself but not for a plain RequestDelegate such as these handlers.
        endpoint.Add(builder =>
        {
            if (builder.RequestDelegate is { } handler && builder.Metadata.OfType<System.Reflection.MethodInfo>().FirstOrDefault() is null)
            {
                builder.Metadata.Add(handler.Method);
            }
        });
        return endpoint.WithName(name).WithSummary(summary).WithTags(tag);
    }

    private static ProducesResponseTypeMetadata Binary(int status, string description, params string[] mediaTypes) =>
        new(status, typeof(Stream), mediaTypes) { Description = description };
}
