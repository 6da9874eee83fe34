using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.AspNetCore.PrivacyPass;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>
/// Every route the library maps (scheme, tiles, operator, provider, Privacy Pass) is in the OpenAPI document that
/// Microsoft.AspNetCore.OpenApi generates from the endpoints' metadata, served over loopback, and each is described:
/// an operation id, a summary, its binary media types, and a problem+json answer that names its problem types for
/// every error status. A route mapped without a description fails here.
/// </summary>
public sealed class EndpointDescriptionsTests
{
    [Fact]
    public async Task EveryMappedRouteIsDescribedInTheOpenApiDocument()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        using var tokenKey = BlindRsaPrivateKey.Generate(2048);
        IReadOnlyList<RouteEndpoint> mapped = [];
        var server = world.Own(await LoopbackScheme.StartAsync(
            world.Scheme,
            services: s =>
            {
                s.AddOpenApi(o => o.AddWalletDescriptions());
                s.AddSingleton(world.Scheme);
                s.AddHealthChecks().AddWalletSchemeReadiness();
            },
            map: app =>
            {
                app.MapWalletHealthChecks();
                app.MapWalletSchemeTiles(world.Scheme, _ => { });
                app.MapWalletSchemeOperator(world.Scheme, o => o.SetOperatorKey(new byte[32]));
                app.MapWalletProvider(world.UnionA, world.Scheme);
                app.MapPrivacyPassIssuer(new PrivacyPassIssuer(tokenKey));
                app.MapOpenApi("/openapi/{documentName}.json");
                mapped = [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()];
            }));

        string json = await server.Http.GetStringAsync(new Uri("openapi/v1.json", UriKind.Relative));
        var paths = JsonNode.Parse(json)!["paths"]!.AsObject();
        var routes = mapped
            .Where(e => e.RoutePattern.RawText != "/openapi/{documentName}.json")
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m.ToLowerInvariant(), Path: OpenApiPath(e.RoutePattern.RawText!))))
            .ToList();
        Assert.True(routes.Count >= 44, $"only {routes.Count} routes mapped");

        // The problem types of each error status are in the endpoint's metadata (Scheme.Server's document transformer
        // copies them into the responses' descriptions: docs/openapi/pb1.json).
        foreach (var endpoint in mapped.Where(e => e.RoutePattern.RawText != "/openapi/{documentName}.json" && !IsProbe(e.RoutePattern.RawText!)))
        {
            var errors = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Where(p => p.StatusCode >= 400).ToList();
            Assert.Contains(errors, p => p.StatusCode == 500);
            Assert.All(errors, p => Assert.StartsWith("Problem types: " + ProblemTypes.Namespace, p.Description, StringComparison.Ordinal));
        }

        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (method, path) in routes)
        {
            var operation = paths[path]?[method]?.AsObject();
            Assert.True(operation is not null, $"{method} {path} is mapped but not in the OpenAPI document");
            string id = operation["operationId"]!.GetValue<string>();
            Assert.True(operationIds.Add(id), $"operation id {id} is used twice");
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{id} has no summary");

            var responses = operation["responses"]!.AsObject();
            var ok = responses["200"]!["content"]!.AsObject();
            Assert.NotEmpty(ok);
            if (method == "post" && path != "/provider/mandates/{mandate}/periods/{period}/request")
            {
                var request = operation["requestBody"]!["content"]!.AsObject().Single();
                Assert.StartsWith("application/", request.Key, StringComparison.Ordinal);
                Assert.NotNull(request.Value!["schema"]);
            }

            if (IsProbe(path))
            {
                Assert.NotNull(responses["503"]!["content"]!["text/plain"]);
                continue;
            }

            Assert.NotNull(responses["500"]);
            foreach (var (_, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                Assert.NotNull(response!["content"]![PbMediaTypes.Problem]);
            }

            if (path.StartsWith(OperatorRoutes.DefaultPrefix + "/", StringComparison.Ordinal))
            {
                Assert.NotNull(responses["401"]);
            }
        }

        var proof = paths["/pb1/log/consistency-proof"]!["get"]!["parameters"]!.AsArray();
        Assert.Equal(["old-size", "new-size"], proof.Where(p => p!["in"]!.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>()));
        Assert.Contains(paths["/pb1/log/entries/{index}"]!["get"]!["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "index" && p["in"]!.GetValue<string>() == "path");

        // The documented problem types are the real ones: a malformed withdrawal is the 400 its description names.
        using var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new(PbMediaTypes.WithdrawalRequest);
        using var answer = await server.Http.PostAsync(new Uri("pb1" + SchemeRoutes.Withdrawals, UriKind.Relative), content);
        string problem = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["type"]!.GetValue<string>();
        var withdraw = mapped.Single(e => e.RoutePattern.RawText == "/pb1" + SchemeRoutes.Withdrawals);
        Assert.Contains(problem, withdraw.Metadata.OfType<IProducesResponseTypeMetadata>().Single(p => p.StatusCode == (int)answer.StatusCode).Description, StringComparison.Ordinal);
    }

    // The health probes answer a status word as text/plain, not problems.
    private static bool IsProbe(string path) => path.StartsWith("/healthz/", StringComparison.Ordinal);

    // A route template as OpenAPI writes it: {**path} is {path}.
    private static string OpenApiPath(string template) => template.Replace("{**", "{", StringComparison.Ordinal);
}
