using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>Problem responses go through the host's IProblemDetailsService and keep PB/1's type URIs and statuses.</summary>
public sealed class ProblemDetailsTests
{
    private const string HostMark = "walletcore-host-customisation";

    [Theory]
    [InlineData(PbMediaTypes.WithdrawalResult)] // what a PB/1 client accepts: no JSON writer takes it, the fallback must customise
    [InlineData(PbMediaTypes.Problem)] // a JSON-accepting client: the host's problem writer answers
    public async Task HostCustomisationAppearsInAProblemAndTheTypeUriIsUnchanged(string accept)
    {
        var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        using (world)
        {
            var server = world.Own(await LoopbackScheme.StartAsync(
                world.Scheme,
                services: s => s.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions["host"] = HostMark)));

            using var content = new ByteArrayContent([1, 2, 3]);
            content.Headers.ContentType = new MediaTypeHeaderValue(PbMediaTypes.WithdrawalRequest);
            using var request = new HttpRequestMessage(HttpMethod.Post, "pb1" + SchemeRoutes.Withdrawals) { Content = content };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            var response = await server.Http.SendAsync(request);

            string body = await HostileClientTests.AssertProblem(response, HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
            using var json = JsonDocument.Parse(body);
            Assert.Equal(HostMark, json.RootElement.GetProperty("host").GetString());
            Assert.Equal("https://walletcore.invalid/problems/malformed-message", json.RootElement.GetProperty("type").GetString());
            Assert.Equal("Malformed message", json.RootElement.GetProperty("title").GetString());
            Assert.Equal("/pb1" + SchemeRoutes.Withdrawals, json.RootElement.GetProperty("instance").GetString());
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WithoutAProblemDetailsServiceTheProblemKeepsItsShape()
    {
        var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        using (world)
        {
            var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme));
            var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
            byte[] valid = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id]).Encode();

            var response = await HostileClientTests.Post(server, SchemeRoutes.Withdrawals, PbMediaTypes.WithdrawalRequest, valid, idempotencyKey: "another-key");

            string body = await HostileClientTests.AssertProblem(response, HttpStatusCode.BadRequest, ProblemTypes.IdempotencyKeyMismatch);
            using var json = JsonDocument.Parse(body);
            Assert.Equal(["type", "title", "status", "detail", "instance"], json.RootElement.EnumerateObject().Select(p => p.Name));
        }
    }
}
