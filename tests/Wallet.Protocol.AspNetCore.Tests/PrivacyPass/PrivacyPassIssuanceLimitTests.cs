using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.AspNetCore.PrivacyPass;
using Wallet.Protocol.Binding;
using static Wallet.Protocol.AspNetCore.Tests.PrivacyPass.PrivacyPassIssuerTests;

namespace Wallet.Protocol.AspNetCore.Tests.PrivacyPass;

/// <summary>
/// Who may obtain Privacy Pass tokens and how many (RFC 9576 section 4), over real HTTP: the attester refuses before
/// anything is read or signed, the rate limiter answers 429 with Retry-After, and without hooks nothing changes.
/// </summary>
public sealed class PrivacyPassIssuanceLimitTests
{
    private const string ClientHeader = "X-Test-Client";
    private static readonly IReadOnlyDictionary<string, string> Vector = Load()[0];

    [Fact]
    public async Task WithoutHooksEveryRequestGetsItsToken()
    {
        using var key = Key();
        using var server = await Serve(key, _ => { });

        for (int i = 0; i < 5; i++)
        {
            var response = await PostTokenRequest(server, Hex(Vector, "token_request"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Hex(Vector, "token_response"), await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task AttesterRefusalIs401Or403AndNoToken()
    {
        using var key = Key();
        int attested = 0;
        using var server = await Serve(key, o => o.Attester = context =>
        {
            Interlocked.Increment(ref attested);
            return ValueTask.FromResult(context.Request.Headers[ClientHeader].ToString() switch
            {
                "" => IssuanceAttestation.Unauthenticated("Bearer"),
                "banned" => IssuanceAttestation.Forbidden,
                _ => IssuanceAttestation.Allowed,
            });
        });

        var anonymous = await PostTokenRequest(server, Hex(Vector, "token_request"));
        await Endpoints.HostileClientTests.AssertProblem(anonymous, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);

        var banned = await Post(server, "banned", Hex(Vector, "token_request"));
        await Endpoints.HostileClientTests.AssertProblem(banned, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);

        // The refusal comes before the body is read: a refused caller learns nothing about its request.
        var bannedMalformed = await Post(server, "banned", [1, 2, 3]);
        await Endpoints.HostileClientTests.AssertProblem(bannedMalformed, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);

        var allowed = await Post(server, "alice", Hex(Vector, "token_request"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(Hex(Vector, "token_response"), await allowed.Content.ReadAsByteArrayAsync());
        Assert.Equal(4, attested);
    }

    [Fact]
    public async Task ExhaustedLimiterIs429WithRetryAfterAndNoTokenWhileOthersKeepTheirBudget()
    {
        using var key = Key();
        // Partitioned by the identity the attester recorded on the context, as the options suggest.
        using var limiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
            (string)context.Items["client"]!,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = 2, Window = TimeSpan.FromHours(1), QueueLimit = 0 }));
        using var server = await Serve(key, o =>
        {
            o.Attester = context =>
            {
                context.Items["client"] = context.Request.Headers[ClientHeader].ToString();
                return ValueTask.FromResult(IssuanceAttestation.Allowed);
            };
            o.RateLimiter = limiter;
        });

        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Post(server, "alice", Hex(Vector, "token_request"))).StatusCode);
        }

        var refused = await Post(server, "alice", Hex(Vector, "token_request"));
        await Endpoints.HostileClientTests.AssertProblem(refused, HttpStatusCode.TooManyRequests, ProblemTypes.RateLimited);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.OK, (await Post(server, "bob", Hex(Vector, "token_request"))).StatusCode);
    }

    [Fact]
    public async Task InvalidOptionsAreRefusedWhenMapped()
    {
        using var key = Key();
        await using var app = WebApplication.CreateSlimBuilder().Build();
        Assert.Throws<ArgumentException>(() => app.MapPrivacyPassIssuer(new PrivacyPassIssuer(key), o => o.RequestPath = "token-request"));
        Assert.Throws<ArgumentException>(() => app.MapPrivacyPassIssuer(new PrivacyPassIssuer(key), o => o.DirectoryMaxAge = TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentException>(() => IssuanceAttestation.Unauthenticated(" "));
    }

    private static BlindRsaPrivateKey Key() => BlindRsaPrivateKey.ImportFromPem(System.Text.Encoding.ASCII.GetString(Hex(Vector, "skS")));

    private static Task<LoopbackScheme> Serve(BlindRsaPrivateKey key, Action<PrivacyPassIssuerOptions> configure) =>
        LoopbackScheme.StartAsync(null, map: app => app.MapPrivacyPassIssuer(new PrivacyPassIssuer(key), configure));

    private static async Task<HttpResponseMessage> Post(LoopbackScheme server, string client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(PrivacyPassMediaTypes.TokenRequest);
        using var request = new HttpRequestMessage(HttpMethod.Post, "token-request") { Content = content };
        request.Headers.Add(ClientHeader, client);
        return await server.Http.SendAsync(request);
    }
}
