using System.Net;
using System.Threading.RateLimiting;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>The attester and rate limiter in front of withdrawals: a refused caller is neither debited nor signed for.</summary>
public sealed class WithdrawalGateTests
{
    private const string ClientHeader = "X-Test-Client";

    [Fact]
    public async Task AttesterRefusalIs403AndNothingIsDebited()
    {
        var (world, server) = await TestWorlds.ServedAsync(o => o.WithdrawalAttester = context =>
            ValueTask.FromResult(context.Request.Headers[ClientHeader] == "payroll-app" ? IssuanceAttestation.Allowed : IssuanceAttestation.Forbidden));
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
            var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id]);

            var refused = await Assert.ThrowsAsync<SchemeHttpException>(() => server.Client().WithdrawAsync(request));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(ProblemTypes.Forbidden, refused.ProblemType);
            Assert.Equal(1000, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));

            using var handler = new HeaderHandler("payroll-app");
            Assert.Equal(WithdrawalStatus.Issued, (await server.Client(handler: handler).WithdrawAsync(request)).Status);
            Assert.Equal(900, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        }
    }

    [Fact]
    public async Task UnauthenticatedCallerIs401WithTheAttestersChallenge()
    {
        var (world, server) = await TestWorlds.ServedAsync(o => o.WithdrawalAttester = _ => ValueTask.FromResult(IssuanceAttestation.Unauthenticated("Bearer realm=\"payroll\"")));
        using (world)
        {
            using var content = new ByteArrayContent([1, 2, 3]);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(PbMediaTypes.WithdrawalRequest);
            var response = await server.Http.PostAsync("pb1" + SchemeRoutes.Withdrawals, content);

            // The body is never read: a malformed one still hears only the attester's answer.
            await HostileClientTests.AssertProblem(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
            Assert.Equal("Bearer realm=\"payroll\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        }
    }

    [Fact]
    public async Task ExhaustedWithdrawalLimitCarriesRetryAfter()
    {
        using var limiter = PartitionedRateLimiter.Create<AccountId, string>(account => RateLimitPartition.GetFixedWindowLimiter(account.Value, _ => new FixedWindowRateLimiterOptions { PermitLimit = 1, Window = TimeSpan.FromHours(1), QueueLimit = 0 }));
        var (world, server) = await TestWorlds.ServedAsync(o => o.WithdrawalRateLimiter = limiter);
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
            using var handler = new HeaderHandler("any");
            var client = server.Client(o => o.MaxRetryAfter = TimeSpan.FromSeconds(1), handler);
            Assert.Equal(WithdrawalStatus.Issued, (await client.WithdrawAsync(wallet.PrepareWithdrawal(new IdempotencyKey("w0"), [world.General100.Id]))).Status);

            var refused = await Assert.ThrowsAsync<SchemeHttpException>(() => client.WithdrawAsync(wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id])));

            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(ProblemTypes.RateLimited, refused.ProblemType);
            Assert.InRange(handler.LastRetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
            Assert.Equal(900, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        }
    }

    private sealed class HeaderHandler(string client) : DelegatingHandler(new SocketsHttpHandler())
    {
        public TimeSpan? LastRetryAfter { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add(ClientHeader, client);
            var response = await base.SendAsync(request, cancellationToken);
            LastRetryAfter = response.Headers.RetryAfter?.Delta;
            return response;
        }
    }
}
