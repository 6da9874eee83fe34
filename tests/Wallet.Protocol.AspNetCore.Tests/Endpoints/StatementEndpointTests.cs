using System.Net;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Statements;
using Wallet.Protocol.Tests.EndToEnd;
using static Wallet.Protocol.AspNetCore.Tests.Endpoints.HostileClientTests;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>
/// The statement and receipt endpoints under hostile input over real loopback HTTP (docs/PROTOCOL.md 5.23): malformed,
/// truncated, oversize and mistyped bodies are typed problems; a bad signature, another account's key and a replay are
/// typed refusals; nothing changes in the books.
/// </summary>
public sealed class StatementEndpointTests
{
    private static readonly DateTimeOffset From = DateTimeOffset.UnixEpoch;

    public static TheoryData<string> Routes => [SchemeRoutes.Statements, SchemeRoutes.ContributionReceipts];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task TruncatedExtendedMistypedAndOversizeRequestsAreTypedProblems(string route)
    {
        var (world, server) = await TestWorlds.ServedAsync(o => o.MaxBodyBytes = 4 * 1024);
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("hostile-1", 500);
            byte[] valid = Ask(world, wallet, route).Encode();
            var head = await world.Ledger.GetHeadAsync();

            foreach (int length in new[] { 0, 1, 3, valid.Length / 2, valid.Length - 64, valid.Length - 1 })
            {
                string problem = await AssertProblem(await Post(server, route, PbMediaTypes.StatementRequest, valid[..length]), HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
                Assert.DoesNotContain("Exception", problem, StringComparison.Ordinal);
            }

            await AssertProblem(await Post(server, route, PbMediaTypes.StatementRequest, [.. valid, 0]), HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
            await AssertProblem(await Post(server, route, PbMediaTypes.WithdrawalRequest, valid), HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
            await AssertProblem(await Post(server, route, PbMediaTypes.StatementRequest, new byte[5_000]), HttpStatusCode.RequestEntityTooLarge, ProblemTypes.BodyTooLarge);
            var random = new Random(20261207);
            for (int i = 0; i < 30; i++)
            {
                byte[] garbage = new byte[random.Next(0, 600)];
                random.NextBytes(garbage);
                var response = await Post(server, route, PbMediaTypes.StatementRequest, garbage);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            }

            Assert.Equal(head, await world.Ledger.GetHeadAsync());
            Assert.Equal(500, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task ABadSignatureAnotherAccountsKeyAndAReplayAreTypedRefusals(string route)
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("hostile-2", 0);
            Assert.True((await world.Scheme.ContributeAsync(new IdempotencyKey("c-1"), new AccountId("employer-a"), ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(300))).Succeeded);
            using var neighbourKey = Ed25519SigningKey.Generate();
            await world.Scheme.RegisterAccountAsync(new AccountId("hostile-2-neighbour"), neighbourKey.PublicKey);
            var purpose = route == SchemeRoutes.Statements ? StatementRequestPurpose.Statement : StatementRequestPurpose.Receipts;

            byte[] forged = Ask(world, wallet, route).Encode();
            forged[^1] ^= 0x01;
            byte[] neighbours = StatementRequest.Sign(wallet.Account, purpose, From, world.Time.GetUtcNow().AddDays(1), world.Time.GetUtcNow(), neighbourKey).Encode();
            byte[] valid = Ask(world, wallet, route).Encode();

            Assert.Equal(StatementStatus.InvalidSignature, await StatusAsync(server, route, forged));
            Assert.Equal(StatementStatus.InvalidSignature, await StatusAsync(server, route, neighbours));
            Assert.Equal(StatementStatus.Answered, await StatusAsync(server, route, valid));
            Assert.Equal(StatementStatus.Replayed, await StatusAsync(server, route, valid));
            Assert.Equal(300, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        }
    }

    [Fact]
    public async Task TheAnswerOverHttpIsTheSchemesSignedStatement()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("hostile-3", 0);
            Assert.True((await world.Scheme.ContributeAsync(new IdempotencyKey("c-1"), new AccountId("employer-a"), ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(300))).Succeeded);
            var ask = wallet.PrepareStatementRequest(From, world.Time.GetUtcNow().AddDays(1));

            var response = await Post(server, SchemeRoutes.Statements, PbMediaTypes.StatementRequest, ask.Encode());

            Assert.Equal(PbMediaTypes.StatementResult, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            var result = PbEnvelopes.DecodeStatementResult(await response.Content.ReadAsByteArrayAsync());
            Assert.True(result.Statement!.Verify(ask, world.Scheme.PublicKey));
            Assert.Equal("employer-a", Assert.Single(result.Statement.Contributions).Record.Contributor!.Value);
        }
    }

    [Fact]
    public async Task AContributorNamedThroughTheOperatorApiIsOnTheReceipt()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var (wallet, _) = await op.World.NewWalletAsync("hostile-4", 0);
            var client = op.Client();

            var named = await client.ContributeAsync(new IdempotencyKey("op-1"), new AccountId("employer-z"), ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(120));
            var anonymous = await client.ContributeAsync(new IdempotencyKey("op-2"), ContributionSource.State, wallet.Account, Amount.FromMinorUnits(30));
            var replay = await client.ContributeAsync(new IdempotencyKey("op-1"), new AccountId("employer-z"), ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(120));

            // The endpoint answers a retried key with the first answer's bytes; the balance shows nothing applied twice.
            Assert.Equal((true, true, true), (named.Succeeded, anonymous.Succeeded, replay.Succeeded));
            var receipts = (await op.World.Client.GetContributionReceiptsAsync(wallet.PrepareReceiptsRequest(From, op.World.Time.GetUtcNow().AddDays(1)))).Receipts;
            Assert.Equal([("op-1", "employer-z"), ("op-2", (string?)null)], receipts.Select(r => (r.LedgerKey.Value, r.Contributor?.Value)));
            Assert.Equal(150, await op.World.Scheme.GetWorkerBalanceAsync(wallet.Account));
        }
    }

    private static StatementRequest Ask(ProtocolWorld world, Wallets.WorkerWallet wallet, string route) =>
        route == SchemeRoutes.Statements
            ? wallet.PrepareStatementRequest(From, world.Time.GetUtcNow().AddDays(1))
            : wallet.PrepareReceiptsRequest(From, world.Time.GetUtcNow().AddDays(1));

    private static async Task<StatementStatus> StatusAsync(LoopbackScheme server, string route, byte[] body)
    {
        var response = await Post(server, route, PbMediaTypes.StatementRequest, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] answer = await response.Content.ReadAsByteArrayAsync();
        return route == SchemeRoutes.Statements
            ? PbEnvelopes.DecodeStatementResult(answer).Status
            : PbEnvelopes.DecodeContributionReceipts(answer).Status;
    }
}
