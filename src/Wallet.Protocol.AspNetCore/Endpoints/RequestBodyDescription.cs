namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>Endpoint metadata: the one media type of the binary body an endpoint reads (for the OpenAPI description only).</summary>
/// <param name="MediaType">The media type.</param>
internal sealed record RequestBodyDescription(string MediaType);
