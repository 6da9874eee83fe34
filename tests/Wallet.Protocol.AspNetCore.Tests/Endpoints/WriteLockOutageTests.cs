using System.Net;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>A scheme node that cannot hold its shared write lock answers 503 <c>unavailable</c>, never a bare 500, and moves nothing.</summary>
public sealed class WriteLockOutageTests
{
    [Fact]
    public async Task WithdrawalWithoutTheWriteLockIs503WithRetryAfterAndTheSameRequestIssuesOnceItIsBack()
    {
        var writeLock = new FailingWriteLock();
        var log = new Crypto.Merkle.InMemoryMerkleLogStore();
        using var world = await ProtocolWorld.CreateAsync(
            new InMemoryLedgerStore(),
            new InMemorySchemeStore(),
            log,
            scheme: w => new BenefitScheme(w.SchemeKey, w.AccreditationKey.PublicKey, w.Ledger, w.Store, log, w.Time) { WriteLock = writeLock });
        using var server = await LoopbackScheme.StartAsync(world.Scheme);
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id]);

        writeLock.Failing = true;
        using var content = new ByteArrayContent(request.Encode());
        content.Headers.ContentType = new(PbMediaTypes.WithdrawalRequest);
        using var response = await server.Http.PostAsync(new Uri("pb1" + SchemeRoutes.Withdrawals, UriKind.Relative), content);
        string body = await HostileClientTests.AssertProblem(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.Unavailable);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain(FailingWriteLock.Detail, body, StringComparison.Ordinal);
        Assert.Equal(1000, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));

        // The typed client sees the problem type, and once the lock is back the same bytes issue, debited once.
        var refused = await Assert.ThrowsAsync<SchemeHttpException>(() => server.Client(o => o.MaxAttempts = 1).WithdrawAsync(request));
        Assert.Equal(ProblemTypes.Unavailable, refused.ProblemType);
        writeLock.Failing = false;
        var issued = await server.Client().WithdrawAsync(request);
        Assert.Equal(WithdrawalStatus.Issued, issued.Status);
        Assert.Equal(900, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
    }

    private sealed class FailingWriteLock : ISchemeWriteLock
    {
        public const string Detail = "lock-server-10.0.0.7-detail";

        private readonly InProcessSchemeWriteLock _inner = new();

        public bool Failing { get; set; }

        public ValueTask<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken) =>
            Failing ? throw new SchemeWriteLockException($"The lock's server cannot be reached ({Detail}).") : _inner.EnterAsync(cancellationToken);

        public ValueTask EnsureHeldAsync(CancellationToken cancellationToken) => _inner.EnsureHeldAsync(cancellationToken);
    }
}
