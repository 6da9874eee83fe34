using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;

namespace Microsoft.AspNetCore.OpenApi;

/// <summary>Completes an OpenAPI document (Microsoft.AspNetCore.OpenApi) with what the WalletCore endpoints declare.</summary>
public static class WalletOpenApiOptionsExtensions
{
    /// <summary>
    /// Adds an operation transformer that completes the operations of the endpoints mapped by <c>MapWalletScheme</c>,
    /// <c>MapWalletSchemeTiles</c>, <c>MapWalletSchemeOperator</c>, <c>MapWalletProvider</c>,
    /// <c>MapPrivacyPassIssuer</c> and <c>MapWalletHealthChecks</c>: the binary request body under its media type, the
    /// description of every response (for an error status, the RFC 9457 problem types the endpoint may answer with it),
    /// the route's path parameters and the query parameters the handlers read themselves.
    /// </summary>
    /// <param name="options">The document's options.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <remarks>
    /// The endpoints read their bodies themselves (a wrong <c>Content-Type</c> is a 415 problem, not routing's bare
    /// 415), so their request media types are not <see cref="IAcceptsMetadata"/> and need this transformer to appear.
    /// docs/operations.md "OpenAPI".
    /// </remarks>
    public static OpenApiOptions AddWalletDescriptions(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddOperationTransformer(DescribeAsync);
    }

    private static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<RequestBodyDescription>().LastOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [body.MediaType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                },
            };
        }

        foreach (var produces in metadata.OfType<IProducesResponseTypeMetadata>())
        {
            if (produces.Description is { } text
                && operation.Responses?.TryGetValue(produces.StatusCode.ToString(CultureInfo.InvariantCulture), out var response) == true
                && response is OpenApiResponse concrete)
            {
                concrete.Description = text;
            }
        }

        // A route parameter ({index}, {payment}, {**path}) is a required string in the path.
        foreach (var parameter in (context.Description.ActionDescriptor.AttributeRouteInfo?.Template ?? context.Description.RelativePath ?? "").Split('/'))
        {
            if (parameter is ['{', .., '}'])
            {
                string name = parameter.Trim('{', '}', '*');
                operation.Parameters ??= [];
                if (!operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Path))
                {
                    operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
                }
            }
        }

        foreach (var query in metadata.OfType<QueryParameterDescription>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = query.Name,
                In = ParameterLocation.Query,
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]+$", Description = "An unsigned decimal integer." },
            });
        }

        return Task.CompletedTask;
    }
}
