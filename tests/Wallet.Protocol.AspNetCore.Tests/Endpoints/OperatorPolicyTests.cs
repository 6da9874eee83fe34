using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>The operator API guarded by the host's own authorization policy instead of the built-in key.</summary>
public sealed class OperatorPolicyTests
{
    private const string AuthenticationName = "test-operator";

    [Fact]
    public async Task AHostPolicyAloneGuardsEveryOperatorEndpoint()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddAuthentication(AuthenticationName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(AuthenticationName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy("operators", p => p.RequireClaim("role", "operator")));
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapWalletSchemeOperator(world.Scheme, o => o.AuthorizationPolicy = "operators");
        await app.StartAsync();
        var root = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/') + "/");
        using var http = new HttpClient { BaseAddress = root };

        var before = await world.Ledger.GetHeadAsync();
        byte[] body = OperatorEnvelopes.EncodeContribution(new IdempotencyKey("policy-1"), ContributionSource.Employer, new AccountId("worker-p"), Amount.FromMinorUnits(300));
        using (var content = new ByteArrayContent(body))
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(OperatorMediaTypes.Contribution);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("pb1/operator/contributions", content)).StatusCode);
        }

        Assert.Equal(before, await world.Ledger.GetHeadAsync());
        using var keyed = new HttpRequestMessage(HttpMethod.Get, "pb1/operator/scheme-key");
        keyed.Headers.Add("X-Test-Operator", "yes");
        var response = await http.SendAsync(keyed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(world.Scheme.PublicKey, OperatorEnvelopes.DecodeSchemeKey(await response.Content.ReadAsByteArrayAsync()));
        await app.StopAsync();
    }

    /// <summary>A stand-in for the host's real authentication (mTLS, tokens): a header makes the caller an operator.</summary>
    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers["X-Test-Operator"] != "yes")
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim("role", "operator")], AuthenticationName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), AuthenticationName)));
        }
    }
}
