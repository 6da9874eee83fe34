using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.AspNetCore.Tests.Client;

public sealed class HttpSchemeClientTests
{
    [Fact]
    public async Task LostResponseIsRetriedWithTheSameIdempotencyKeyAndDebitedOnce()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
            using var handler = new LosingHandler(loseFirst: 2);
            var client = server.Client(handler: handler);
            var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id, world.General100.Id]);

            var result = await client.WithdrawAsync(request);

            Assert.Equal(WithdrawalStatus.Issued, result.Status);
            Assert.Equal(3, handler.Attempts);
            Assert.Equal(["w1", "w1", "w1"], handler.IdempotencyKeys);
            Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, result.Response!));
            Assert.Equal(800, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        }
    }

    [Fact]
    public async Task UnreachableSchemeGivesUpAfterMaxAttempts()
    {
        using var handler = new LosingHandler(loseFirst: int.MaxValue);
        var client = new HttpSchemeClient(new HttpClient(handler), new HttpSchemeClientOptions { BaseAddress = new Uri("http://127.0.0.1:9/pb1"), MaxAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(1) });

        var error = await Assert.ThrowsAsync<SchemeHttpException>(() => client.GetTreeHeadAsync());

        Assert.Equal(3, handler.Attempts);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task CallerCancellationStopsWithoutRetrying()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            using var handler = new LosingHandler(loseFirst: 0, delay: TimeSpan.FromSeconds(30));
            var client = server.Client(handler: handler);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetTreeHeadAsync(cancel.Token));
            Assert.Equal(1, handler.Attempts);
        }
    }

    [Fact]
    public async Task AttemptTimeoutRetriesThenSucceeds()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            using var handler = new LosingHandler(loseFirst: 0, delay: TimeSpan.FromSeconds(30), delayFirst: 1);
            var client = server.Client(o => o.AttemptTimeout = TimeSpan.FromSeconds(2), handler);

            var head = await client.GetTreeHeadAsync();

            Assert.True(head.Verify(world.Scheme.PublicKey));
            Assert.Equal(2, handler.Attempts);
        }
    }

    [Fact]
    public async Task WithdrawalRateLimitPerAccountAnswers429WithRetryAfter()
    {
        using var limiter = PartitionedRateLimiter.Create<AccountId, string>(account => RateLimitPartition.GetFixedWindowLimiter(account.Value, _ => new FixedWindowRateLimiterOptions { PermitLimit = 2, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        var (world, server) = await TestWorlds.ServedAsync(o => o.WithdrawalRateLimiter = limiter);
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
            var (other, _) = await world.NewWalletAsync("worker-2", 1000);
            var client = server.Client(o => o.MaxRetryAfter = TimeSpan.FromSeconds(1));
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(WithdrawalStatus.Issued, (await client.WithdrawAsync(wallet.PrepareWithdrawal(new IdempotencyKey($"w{i}"), [world.General100.Id]))).Status);
            }

            var third = wallet.PrepareWithdrawal(new IdempotencyKey("w2"), [world.General100.Id]);
            var refused = await Assert.ThrowsAsync<SchemeHttpException>(() => client.WithdrawAsync(third));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(ProblemTypes.RateLimited, refused.ProblemType);
            Assert.Equal(800, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));

            // Another account has its own budget.
            Assert.Equal(WithdrawalStatus.Issued, (await client.WithdrawAsync(other.PrepareWithdrawal(new IdempotencyKey("w0"), [world.General100.Id]))).Status);
        }
    }

    [Fact]
    public async Task ServerFaultIsABare500ProblemAndLeaksNothing()
    {
        using var server = await LoopbackScheme.StartAsync(new FailingScheme());
        var response = await server.Http.GetAsync("pb1/log/tree-head");

        string body = await Endpoints.HostileClientTests.AssertProblem(response, HttpStatusCode.InternalServerError, ProblemTypes.Internal);
        Assert.DoesNotContain(FailingScheme.Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<SchemeHttpException>(() => server.Client(o => o.MaxAttempts = 2).GetTreeHeadAsync());
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.DoesNotContain(FailingScheme.Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistrationResolvesAValidatedTypedClient()
    {
        var services = new ServiceCollection();
        services.AddHttpSchemeClient(o => o.BaseAddress = new Uri("http://127.0.0.1:1/pb1/"));
        using var provider = services.BuildServiceProvider();

        Assert.IsType<HttpSchemeClient>(provider.GetRequiredService<ISchemeClient>());

        var invalid = new ServiceCollection();
        invalid.AddHttpSchemeClient(o => o.MaxAttempts = 0);
        using var broken = invalid.BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => broken.GetRequiredService<IOptions<HttpSchemeClientOptions>>().Value);
        Assert.Throws<ArgumentException>(() => new HttpSchemeClient(new HttpClient(), new HttpSchemeClientOptions()));
    }

    /// <summary>Passes requests to the network but drops the first responses after the server handled them, or stalls.</summary>
    private sealed class LosingHandler(int loseFirst, TimeSpan? delay = null, int delayFirst = int.MaxValue) : DelegatingHandler(new SocketsHttpHandler())
    {
        public int Attempts { get; private set; }

        public List<string> IdempotencyKeys { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Attempts++;
            if (request.Headers.TryGetValues("Idempotency-Key", out var keys))
            {
                IdempotencyKeys.AddRange(keys);
            }

            if (delay is { } wait && Attempts <= delayFirst)
            {
                await Task.Delay(wait, cancellationToken);
            }

            if (loseFirst == int.MaxValue)
            {
                throw new HttpRequestException("connection refused (simulated)");
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (Attempts <= loseFirst)
            {
                response.Dispose();
                throw new HttpRequestException("connection reset after the server answered (simulated)");
            }

            return response;
        }
    }

    private sealed class FailingScheme : ISchemeClient
    {
        public const string Secret = "secret-detail-4471";

        public Task<WithdrawalResult> WithdrawAsync(WithdrawalRequest request, CancellationToken cancellationToken = default) => throw Fail();

        public Task<Deposits.DepositResult> DepositAsync(Deposits.DepositRequest request, CancellationToken cancellationToken = default) => throw Fail();

        public Task<Swaps.SwapResult> SwapAsync(Swaps.SwapRequest request, CancellationToken cancellationToken = default) => throw Fail();

        public Task<Swaps.SwapResult> RecoverAsync(Recovery.RecoveryRequest request, CancellationToken cancellationToken = default) => throw Fail();

        public Task<IReadOnlyList<Crypto.BlindRsa.BlindSignature?>> FindBlindSignaturesAsync(IReadOnlyList<Crypto.BlindRsa.BlindedMessage> blindedMessages, CancellationToken cancellationToken = default) => throw Fail();

        public Task<IReadOnlyList<bool>> AreSpentAsync(IReadOnlyList<CoinId> coins, CancellationToken cancellationToken = default) => throw Fail();

        public Task<IReadOnlyList<Keysets.PublishedKeyset>> ListKeysetsAsync(CancellationToken cancellationToken = default) => throw Fail();

        public Task<IReadOnlyList<Registry.AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken = default) => throw Fail();

        public Task<Crypto.Merkle.SignedTreeHead> GetTreeHeadAsync(CancellationToken cancellationToken = default) => throw Fail();

        public Task<Crypto.Notes.SignedNote> GetCheckpointAsync(CancellationToken cancellationToken = default) => throw Fail();

        public Task<Statements.StatementResult> GetStatementAsync(Statements.StatementRequest request, CancellationToken cancellationToken = default) => throw Fail();

        public Task<Statements.ContributionReceiptsResult> GetContributionReceiptsAsync(Statements.StatementRequest request, CancellationToken cancellationToken = default) => throw Fail();

        public Task<Crypto.Merkle.InclusionProof> GetInclusionProofAsync(ulong index, ulong treeSize, CancellationToken cancellationToken = default) => throw Fail();

        public Task<Crypto.Merkle.ConsistencyProof> GetConsistencyProofAsync(ulong oldSize, ulong newSize, CancellationToken cancellationToken = default) => throw Fail();

        public Task<Log.LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken = default) => throw Fail();

        public Task<Refunds.RefundClaimResult> ClaimRefundAsync(Refunds.RefundClaimRequest request, CancellationToken cancellationToken = default) => throw Fail();

        private static InvalidOperationException Fail() => new($"store unavailable: {Secret}");
    }
}
