using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>The operator API's guard rails: authentication first, then bodies, then idempotent replay.</summary>
public sealed class OperatorEndpointTests
{
    [Fact]
    public async Task MappingWithoutAnyAuthenticationThrowsNamingTheOptions()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new Schemes.InMemorySchemeStore(), new Crypto.Merkle.InMemoryMerkleLogStore());
        var error = Assert.Throws<InvalidOperationException>(() => app.MapWalletSchemeOperator(world.Scheme, _ => { }));
        Assert.Contains(nameof(WalletSchemeOperatorEndpointOptions.AuthorizationPolicy), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(WalletSchemeOperatorEndpointOptions.SetOperatorKey), error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new WalletSchemeOperatorEndpointOptions().SetOperatorKey(new byte[16]));
    }

    [Fact]
    public async Task MissingWrongOrMalformedKeyIs401AndChangesNothing()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var account = new AccountId("worker-401");
            byte[] body = OperatorEnvelopes.EncodeContribution(new IdempotencyKey("c-401"), ContributionSource.Employer, account, Amount.FromMinorUnits(500));
            var before = await op.LedgerHeadAsync();
            string otherKey = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            AuthenticationHeaderValue?[] attempts =
            [
                null,
                new("Bearer", otherKey),
                new("Bearer", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16))),
                new("Bearer", op.Key + "AA"),
                new("Bearer", "not base64 at all!"),
                new("Basic", op.Key),
            ];

            foreach (var authorization in attempts)
            {
                var response = await op.PostAsync(OperatorRoutes.Contributions, OperatorMediaTypes.Contribution, body, authorization: authorization, anonymous: authorization is null);
                string text = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
                var challenge = Assert.Single(response.Headers.WwwAuthenticate);
                Assert.Equal("Bearer", challenge.Scheme);
                Assert.Equal(authorization is not null, challenge.Parameter!.Contains("invalid_token", StringComparison.Ordinal));
                Assert.DoesNotContain(op.Key, text, StringComparison.Ordinal);
                Assert.DoesNotContain(otherKey, text, StringComparison.Ordinal);
            }

            Assert.Equal(before, await op.LedgerHeadAsync());
            Assert.Equal(0, await op.World.Scheme.GetWorkerBalanceAsync(account));

            // The reads are guarded the same way.
            using var anonymous = new HttpRequestMessage(HttpMethod.Get, new Uri(op.OperatorAddress, "scheme-key"));
            Assert.Equal(HttpStatusCode.Unauthorized, (await op.Server.Http.SendAsync(anonymous)).StatusCode);
        }
    }

    [Fact]
    public async Task AnEndpointTheHostAddsToTheGroupNeedsTheKeyToo()
    {
        var op = await OperatorServer.StartAsync(extend: holder => holder.Group.MapGet("/host-extra", (HttpContext context) => Results.Text("extra")));
        using (op.World)
        {
            using var anonymous = new HttpRequestMessage(HttpMethod.Get, new Uri(op.OperatorAddress, "host-extra"));
            Assert.Equal(HttpStatusCode.Unauthorized, (await op.Server.Http.SendAsync(anonymous)).StatusCode);
            using var keyed = new HttpRequestMessage(HttpMethod.Get, new Uri(op.OperatorAddress, "host-extra"));
            keyed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", op.Key);
            var response = await op.Server.Http.SendAsync(keyed);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("extra", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task ReplayWithTheSameIdempotencyKeyAnswersTheSameBytesAndMovesValueOnce()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var account = new AccountId("worker-replay");
            var key = new IdempotencyKey("payroll-replay-1");
            byte[] body = OperatorEnvelopes.EncodeContribution(key, ContributionSource.Employer, account, Amount.FromMinorUnits(700));
            var first = await op.PostAsync(OperatorRoutes.Contributions, OperatorMediaTypes.Contribution, body, key.Value);
            var second = await op.PostAsync(OperatorRoutes.Contributions, OperatorMediaTypes.Contribution, body, key.Value);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(key.Value, first.Headers.GetValues("Idempotency-Key").Single());
            byte[] firstBytes = await first.Content.ReadAsByteArrayAsync();
            Assert.Equal(firstBytes, await second.Content.ReadAsByteArrayAsync());
            Assert.True(OperatorEnvelopes.DecodeContributionResult(firstBytes).Succeeded);
            Assert.Equal(700, await op.World.Scheme.GetWorkerBalanceAsync(account));

            // Without the header the body's own key names the replay.
            var third = await op.PostAsync(OperatorRoutes.Contributions, OperatorMediaTypes.Contribution, body);
            Assert.Equal(firstBytes, await third.Content.ReadAsByteArrayAsync());
            Assert.Equal(700, await op.World.Scheme.GetWorkerBalanceAsync(account));

            // Same key, other body: refused, nothing moves. Header differing from the body's key: refused.
            byte[] other = OperatorEnvelopes.EncodeContribution(key, ContributionSource.Employer, account, Amount.FromMinorUnits(900));
            await AssertProblemAsync(await op.PostAsync(OperatorRoutes.Contributions, OperatorMediaTypes.Contribution, other, key.Value), HttpStatusCode.UnprocessableEntity, ProblemTypes.IdempotencyKeyReused);
            await AssertProblemAsync(await op.PostAsync(OperatorRoutes.Contributions, OperatorMediaTypes.Contribution, body, "another-key"), HttpStatusCode.BadRequest, ProblemTypes.IdempotencyKeyMismatch);
            Assert.Equal(700, await op.World.Scheme.GetWorkerBalanceAsync(account));

            // An operation whose in-process replay answers "nothing to do" answers the stored record over HTTP.
            op.World.Time.Advance(TimeSpan.FromDays(91));
            byte[] keyset = OperatorEnvelopes.EncodeKeysetId(op.World.General100.Id);
            var expired = await op.PostAsync(OperatorRoutes.Expiries, OperatorMediaTypes.KeysetId, keyset, "expire-g100");
            var again = await op.PostAsync(OperatorRoutes.Expiries, OperatorMediaTypes.KeysetId, keyset, "expire-g100");
            byte[] expiredBytes = await expired.Content.ReadAsByteArrayAsync();
            Assert.NotNull(OperatorEnvelopes.DecodeLogRecord(expiredBytes, Log.LogEntryKind.KeysetExpired));
            Assert.Equal(expiredBytes, await again.Content.ReadAsByteArrayAsync());
            var fresh = await op.PostAsync(OperatorRoutes.Expiries, OperatorMediaTypes.KeysetId, keyset, "expire-g100-later");
            Assert.Null(OperatorEnvelopes.DecodeLogRecord(await fresh.Content.ReadAsByteArrayAsync(), Log.LogEntryKind.KeysetExpired));
        }
    }

    [Fact]
    public async Task TheReplayMemoryIsBoundedAndAForgottenKeyIsStillAppliedOnce()
    {
        var op = await OperatorServer.StartAsync(o => o.MaxRememberedResponses = 2);
        using (op.World)
        {
            var account = new AccountId("worker-bounded");
            byte[] Body(int n) => OperatorEnvelopes.EncodeContribution(new IdempotencyKey($"bounded-{n}"), ContributionSource.State, account, Amount.FromMinorUnits(100));
            for (int n = 0; n < 5; n++)
            {
                Assert.Equal(HttpStatusCode.OK, (await op.PostAsync(OperatorRoutes.Contributions, OperatorMediaTypes.Contribution, Body(n), $"bounded-{n}")).StatusCode);
            }

            var late = await op.PostAsync(OperatorRoutes.Contributions, OperatorMediaTypes.Contribution, Body(0), "bounded-0");
            Assert.True(OperatorEnvelopes.DecodeContributionResult(await late.Content.ReadAsByteArrayAsync()).IsReplay);
            Assert.Equal(500, await op.World.Scheme.GetWorkerBalanceAsync(account));
        }
    }

    [Fact]
    public async Task GarbageTruncatedAndMistypedBodiesAreTypedProblemsAndChangeNothing()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var world = op.World;
            var table = DefaultAllocationTable.Sign(1, ProtocolWorld.Start.AddDays(-1), [new DefaultAllocationRule("*", "*", world.UnionA.Record.Id)], world.AccreditationKey);
            using var accountKey = Ed25519SigningKey.Generate();
            (string Route, string Type, byte[] Valid)[] endpoints =
            [
                (OperatorRoutes.Accounts, OperatorMediaTypes.AccountKey, OperatorEnvelopes.EncodeAccountKey(new AccountId("worker-g"), accountKey.PublicKey)),
                (OperatorRoutes.Contributions, OperatorMediaTypes.Contribution, OperatorEnvelopes.EncodeContribution(new IdempotencyKey("g-1"), ContributionSource.Worker, new AccountId("worker-g"), Amount.FromMinorUnits(1))),
                (OperatorRoutes.Keysets, OperatorMediaTypes.KeysetParameters, OperatorEnvelopes.EncodeKeysetRequest(new IdempotencyKey("g-k"), new Operators.KeysetParameters(9, Amount.FromMinorUnits(100), "general", ProtocolWorld.Start, ProtocolWorld.Start.AddDays(1), ProtocolWorld.Start.AddDays(2), ProtocolWorld.Start.AddDays(3)))),
                (OperatorRoutes.Registries, OperatorMediaTypes.Registry, world.Registry.Encode()),
                (OperatorRoutes.AllocationTables, OperatorMediaTypes.AllocationTable, table.Encode()),
                (OperatorRoutes.Expiries, OperatorMediaTypes.KeysetId, OperatorEnvelopes.EncodeKeysetId(world.General100.Id)),
                (OperatorRoutes.ExpiredAllocations, OperatorMediaTypes.KeysetId, OperatorEnvelopes.EncodeKeysetId(world.General100.Id)),
                (OperatorRoutes.UnwithdrawnAllocations, OperatorMediaTypes.AllocationRound, OperatorEnvelopes.EncodeAllocationRound("r-1", [new DefaultAllocationInput(new AccountId("worker-g"), "care", "north")])),
                (OperatorRoutes.Balance, OperatorMediaTypes.LedgerAccount, OperatorEnvelopes.EncodeLedgerAccount(LedgerAccount.Expired)),
                (OperatorRoutes.KeysetTotals, OperatorMediaTypes.KeysetId, OperatorEnvelopes.EncodeKeysetId(world.General100.Id)),
            ];

            var before = await op.LedgerHeadAsync();
            var keysets = (await world.Scheme.ListKeysetsAsync()).Count;
            var random = new Random(20261123);
            foreach (var (route, type, valid) in endpoints)
            {
                byte[] garbage = new byte[1 + random.Next(300)];
                random.NextBytes(garbage);
                foreach (byte[] bad in new[] { [], valid[..1], valid[..(valid.Length / 2)], valid[..^1], [.. valid, 0], garbage })
                {
                    await AssertProblemAsync(await op.PostAsync(route, type, bad), HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
                }

                await AssertProblemAsync(await op.PostAsync(route, "application/octet-stream", valid), HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
            }

            Assert.Equal(before, await op.LedgerHeadAsync());
            Assert.Equal(keysets, (await world.Scheme.ListKeysetsAsync()).Count);

            // A body that decodes but that the scheme refuses (an account twice in one round) is a 422, not a 500.
            var input = new DefaultAllocationInput(new AccountId("worker-g"), "care", "north");
            await AssertProblemAsync(
                await op.PostAsync(OperatorRoutes.UnwithdrawnAllocations, OperatorMediaTypes.AllocationRound, OperatorEnvelopes.EncodeAllocationRound("r-2", [input, input])),
                HttpStatusCode.UnprocessableEntity,
                ProblemTypes.RejectedOperation);
        }
    }

    [Fact]
    public async Task OversizeBodiesAre413()
    {
        var op = await OperatorServer.StartAsync(o => o.MaxBodyBytes = 2048);
        using (op.World)
        {
            var inputs = Enumerable.Range(0, 200).Select(i => new DefaultAllocationInput(new AccountId($"worker-{i:D5}"), "care", "north")).ToList();
            await AssertProblemAsync(
                await op.PostAsync(OperatorRoutes.UnwithdrawnAllocations, OperatorMediaTypes.AllocationRound, OperatorEnvelopes.EncodeAllocationRound("big", inputs)),
                HttpStatusCode.RequestEntityTooLarge,
                ProblemTypes.BodyTooLarge);
        }
    }

    internal static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(PbMediaTypes.Problem, response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        Assert.Equal(type, json.RootElement.GetProperty("type").GetString());
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        return text;
    }
}
