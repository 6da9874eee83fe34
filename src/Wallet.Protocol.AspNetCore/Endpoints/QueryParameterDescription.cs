namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>Endpoint metadata: a required query parameter, an unsigned decimal integer, that the handler reads itself (for the OpenAPI description only).</summary>
/// <param name="Name">The parameter's name.</param>
internal sealed record QueryParameterDescription(string Name);
