using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>What a careless or hostile client can send: every answer is a typed problem or a protocol result, never a 500 or a hang.</summary>
public sealed class HostileClientTests
{
    private static readonly string[] PostEndpoints =
    [
        SchemeRoutes.Withdrawals + "|" + PbMediaTypes.WithdrawalRequest,
        SchemeRoutes.Deposits + "|" + PbMediaTypes.DepositRequest,
        SchemeRoutes.RestoreSignatures + "|" + PbMediaTypes.BlindedMessages,
        SchemeRoutes.RestoreSpent + "|" + PbMediaTypes.CoinIds,
        SchemeRoutes.RefundClaims + "|" + PbMediaTypes.RefundClaimRequest,
    ];

    [Fact]
    public async Task OversizeBodyIsRefusedWith413ProblemBeforeItIsRead()
    {
        var (world, server) = await TestWorlds.ServedAsync(o => o.MaxBodyBytes = 64 * 1024);
        using (world)
        {
            var declared = await Post(server, SchemeRoutes.Withdrawals, PbMediaTypes.WithdrawalRequest, new byte[100_000]);
            await AssertProblem(declared, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.BodyTooLarge);

            // Chunked, no Content-Length: the limit applies while reading.
            using var content = new StreamContent(new MemoryStream(new byte[100_000]));
            content.Headers.ContentType = new MediaTypeHeaderValue(PbMediaTypes.WithdrawalRequest);
            using var request = new HttpRequestMessage(HttpMethod.Post, "pb1" + SchemeRoutes.Withdrawals) { Content = content };
            request.Headers.TransferEncodingChunked = true;
            var chunked = await server.Http.SendAsync(request);
            await AssertProblem(chunked, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.BodyTooLarge);
        }
    }

    [Fact]
    public async Task EveryTruncationOfAWithdrawalRequestIsAMalformedMessageProblem()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
            byte[] valid = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id]).Encode();
            foreach (int length in new[] { 0, 1, 5, valid.Length / 2, valid.Length - 65, valid.Length - 1 })
            {
                var response = await Post(server, SchemeRoutes.Withdrawals, PbMediaTypes.WithdrawalRequest, valid[..length]);
                await AssertProblem(response, HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
            }

            var appended = await Post(server, SchemeRoutes.Withdrawals, PbMediaTypes.WithdrawalRequest, [.. valid, 0]);
            await AssertProblem(appended, HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
            Assert.Equal(1000, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        }
    }

    [Fact]
    public async Task GarbageBodiesOnEveryEndpointAreBadRequestsWithoutInternals()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var random = new Random(20261123);
            foreach (string endpoint in PostEndpoints)
            {
                var (path, mediaType) = (endpoint.Split('|')[0], endpoint.Split('|')[1]);
                for (int i = 0; i < 40; i++)
                {
                    byte[] garbage = new byte[random.Next(0, 3000)];
                    random.NextBytes(garbage);
                    if (garbage.Length > 0 && i % 2 == 0)
                    {
                        garbage[0] = 1; // a plausible version byte reaches deeper into the decoders
                    }

                    var response = await Post(server, path, mediaType, garbage);
                    string body = await AssertProblem(response, HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
                    Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
                    Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public async Task WrongOrMissingMediaTypeIs415()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
            byte[] valid = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id]).Encode();
            await AssertProblem(await Post(server, SchemeRoutes.Withdrawals, PbMediaTypes.DepositRequest, valid), HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
            await AssertProblem(await Post(server, SchemeRoutes.Withdrawals, "application/json", valid), HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
            await AssertProblem(await Post(server, SchemeRoutes.Withdrawals, null, valid), HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
            Assert.Equal(1000, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        }
    }

    [Fact]
    public async Task SlowBodyIsCutOffInsteadOfHoldingTheServer()
    {
        var (world, server) = await TestWorlds.ServedAsync(kestrel: k =>
            k.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(2)));
        using (world)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, server.Address.Port);
            var stream = tcp.GetStream();
            string head = $"POST /pb1{SchemeRoutes.Withdrawals} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {PbMediaTypes.WithdrawalRequest}\r\nContent-Length: 5000\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(new byte[] { 1, 2, 3 });

            // Nothing more is sent: the server must answer (408) or close, well before our 15 s patience ends.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var buffer = new byte[4096];
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, patience.Token);
            }
            catch (IOException)
            {
                read = 0; // reset by the server: also cut off
            }

            Assert.False(patience.IsCancellationRequested);
            string answer = Encoding.ASCII.GetString(buffer, 0, read);
            Assert.True(read == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
        }
    }

    [Fact]
    public async Task ManyConcurrentWithdrawalsOnOneAccountNeverOverdraw()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
            var requests = Enumerable.Range(0, 24).Select(i => wallet.PrepareWithdrawal(new IdempotencyKey($"w{i}"), [world.General100.Id, world.General100.Id])).ToList();
            var client = server.Client();

            var results = await Task.WhenAll(requests.Select(r => Task.Run(() => client.WithdrawAsync(r))));

            Assert.Equal(5, results.Count(r => r.Status == WithdrawalStatus.Issued));
            Assert.Equal(19, results.Count(r => r.Status == WithdrawalStatus.InsufficientFunds));
            Assert.Equal(0, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
            Assert.True((await world.Ledger.VerifyAsync()).IsValid);
        }
    }

    [Fact]
    public async Task ReplayedWithdrawalBytesGetTheSameResponseAndOneDebit()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
            byte[] request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id, world.General500.Id]).Encode();

            var first = await Post(server, SchemeRoutes.Withdrawals, PbMediaTypes.WithdrawalRequest, request);
            var second = await Post(server, SchemeRoutes.Withdrawals, PbMediaTypes.WithdrawalRequest, request);

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
            Assert.Equal("no-store", second.Headers.CacheControl?.ToString());
            Assert.Equal(400, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        }
    }

    [Fact]
    public async Task IdempotencyKeyHeaderThatContradictsTheBodyIsRefused()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
            byte[] request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id]).Encode();

            var response = await Post(server, SchemeRoutes.Withdrawals, PbMediaTypes.WithdrawalRequest, request, idempotencyKey: "w2");

            await AssertProblem(response, HttpStatusCode.BadRequest, ProblemTypes.IdempotencyKeyMismatch);
            Assert.Equal(1000, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
            var matching = await Post(server, SchemeRoutes.Withdrawals, PbMediaTypes.WithdrawalRequest, request, idempotencyKey: "w1");
            Assert.Equal(HttpStatusCode.OK, matching.StatusCode);
            Assert.Equal("w1", Assert.Single(matching.Headers.GetValues(SchemeRoutes.IdempotencyKeyHeader)));
        }
    }

    [Fact]
    public async Task RestoreQueryOverTheBatchLimitIsRefused()
    {
        var (world, server) = await TestWorlds.ServedAsync(o => o.MaxBatchItems = 4);
        using (world)
        {
            var coins = Enumerable.Range(0, 5).Select(i => new CoinId(Enumerable.Repeat((byte)i, 32).ToArray())).ToList();
            var response = await Post(server, SchemeRoutes.RestoreSpent, PbMediaTypes.CoinIds, PbEnvelopes.EncodeCoinIds(coins));
            await AssertProblem(response, HttpStatusCode.BadRequest, ProblemTypes.BatchTooLarge);
            var fits = await Post(server, SchemeRoutes.RestoreSpent, PbMediaTypes.CoinIds, PbEnvelopes.EncodeCoinIds(coins[..4]));
            byte[] flags = await fits.Content.ReadAsByteArrayAsync();
            Assert.Equal(new[] { false, false, false, false }, PbEnvelopes.DecodeFlags(flags));
        }
    }

    [Fact]
    public async Task BadLogParametersAreProblemsNotErrors()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            await AssertProblem(await server.Http.GetAsync("pb1/log/inclusion-proof?index=x&tree-size=1"), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
            await AssertProblem(await server.Http.GetAsync("pb1/log/inclusion-proof?index=1"), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
            await AssertProblem(await server.Http.GetAsync("pb1/log/inclusion-proof?index=99&tree-size=3"), HttpStatusCode.BadRequest, ProblemTypes.OutOfRange);
            await AssertProblem(await server.Http.GetAsync("pb1/log/consistency-proof?old-size=9&new-size=2"), HttpStatusCode.BadRequest, ProblemTypes.OutOfRange);
            await AssertProblem(await server.Http.GetAsync("pb1/log/entries/-1"), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
            await AssertProblem(await server.Http.GetAsync("pb1/log/entries/999999"), HttpStatusCode.NotFound, ProblemTypes.NotFound);
        }
    }

    internal static async Task<HttpResponseMessage> Post(LoopbackScheme server, string path, string? mediaType, byte[] body, string? idempotencyKey = null)
    {
        using var content = new ByteArrayContent(body);
        if (mediaType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "pb1" + path) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(SchemeRoutes.IdempotencyKeyHeader, idempotencyKey);
        }

        return await server.Http.SendAsync(request);
    }

    internal static async Task<string> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        Assert.Equal(PbMediaTypes.Problem, response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(type, json.RootElement.GetProperty("type").GetString());
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        return body;
    }
}
