using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>
/// The provider's HTTP surface for the holder of a payment's coins (docs/http.md "Provider", docs/PROTOCOL.md 5.20):
/// the whole path over loopback, and every hostile input answered with a typed problem that changes nothing.
/// </summary>
public sealed class ProviderHolderEndpointTests
{
    [Fact]
    public async Task AWalletFetchesAnOfferPaysItAndGetsItsReceiptByProvingItHoldsTheCoins()
    {
        using var world = await WorldAsync();
        var (_, client) = await ServeAsync(world);
        var wallet = await world.FundedWalletAsync("worker-x1", world.General100, world.General100);
        var offer = await world.UnionA.PublishPaymentRequestAsync(Amount.FromMinorUnits(200), "dues 2026-01", TimeSpan.FromHours(1));

        var request = (await client.GetPaymentOfferAsync(offer.Code))!;
        Assert.Equal(offer.Request.Encode(), request.Encode());
        Assert.Equal("dues 2026-01", request.Details!.Purpose);
        Assert.Equal(request.Encode(), (await client.GetPaymentRequestAsync(request.Id))!.Encode());
        var prepared = wallet.PreparePayment(request, world.Registry);
        Assert.Equal(PaymentVerification.Accepted, await client.SubmitPaymentAsync(request, prepared.Spends));

        Assert.Equal(ProviderPaymentStatus.Verified, (await client.GetSpendReceiptAsync(() => wallet.ProveHolding(request.Id)))!.Status);
        var (deposit, result) = await world.DepositAsync(world.UnionA, "d-x1");
        await world.UnionA.CompleteDepositAsync(deposit, result);
        var paid = await client.GetSpendReceiptAsync(wallet.ProveHolding(request.Id)!);
        Assert.Equal(ProviderPaymentStatus.Paid, paid.Status);
        Assert.True(wallet.AcceptSpendReceipt(paid.Receipt!, request, world.Registry));

        // Paid: the offer is closed, by id and by code.
        var closed = await Assert.ThrowsAsync<SchemeHttpException>(() => client.GetPaymentOfferAsync(offer.Code));
        Assert.Equal((HttpStatusCode.Gone, ProblemTypes.RequestClosed), (closed.StatusCode, closed.ProblemType));
        Assert.Equal(ProblemTypes.RequestClosed, (await Assert.ThrowsAsync<SchemeHttpException>(() => client.GetPaymentRequestAsync(request.Id))).ProblemType);
    }

    [Fact]
    public async Task HostileHolderProofsAreTypedProblemsAndChangeNothing()
    {
        using var world = await WorldAsync();
        var (server, _) = await ServeAsync(world);
        var payer = await world.FundedWalletAsync("worker-x2", world.General100);
        var stranger = await world.FundedWalletAsync("worker-x3", world.General100);
        var (paid, _) = await world.PayAsync(payer, world.UnionA, 100);
        var (theirs, _) = await world.PayAsync(stranger, world.UnionA, 100);
        string route = Route(paid.Id);
        byte[] valid = payer.ProveHolding(paid.Id)!.Encode();

        // Route, media type and size, before any decoding.
        await AssertProblemAsync(await PostAsync(server, "provider/payments/zz/receipt", valid), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
        await AssertProblemAsync(await PostAsync(server, "provider/payments/" + new string('g', 64) + "/receipt", valid), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
        await AssertProblemAsync(await PostAsync(server, "provider/payments/" + paid.Id + "00/receipt", valid), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
        await AssertProblemAsync(await PostAsync(server, route, valid, "application/octet-stream"), HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
        await AssertProblemAsync(await PostAsync(server, route, new byte[200 * 1024]), HttpStatusCode.RequestEntityTooLarge, ProblemTypes.BodyTooLarge);
        using (var chunked = new StreamContent(new MemoryStream(new byte[200 * 1024])))
        {
            chunked.Headers.ContentType = new MediaTypeHeaderValue(PbMediaTypes.HolderProof);
            using var message = new HttpRequestMessage(HttpMethod.Post, route) { Content = chunked };
            message.Headers.TransferEncodingChunked = true;
            await AssertProblemAsync(await server.Http.SendAsync(message), HttpStatusCode.RequestEntityTooLarge, ProblemTypes.BodyTooLarge);
        }

        // Malformed bodies: every truncation, a trailing byte, wrong lengths, garbage.
        foreach (int length in new[] { 0, 1, 2, 20, valid.Length / 2, valid.Length - 64, valid.Length - 1 })
        {
            await AssertProblemAsync(await PostAsync(server, route, valid[..length]), HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
        }

        await AssertProblemAsync(await PostAsync(server, route, [.. valid, 0]), HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
        await AssertProblemAsync(await PostAsync(server, route, [9, 9, 9, 9]), HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);

        // Well-formed but refused: a stranger's coins, a proof for another payment, another provider, another purpose.
        var coins = stranger.PaymentsInFlight.Single().Coins;
        await AssertProblemAsync(await PostAsync(server, route, stranger.ProveHolding(paid.Id, world.UnionA.Record.Id, HolderProofPurpose.SpendReceipt, [.. coins])!.Encode()), HttpStatusCode.Forbidden, ProblemTypes.HolderProofRefused);
        await AssertProblemAsync(await PostAsync(server, route, stranger.ProveHolding(theirs.Id)!.Encode()), HttpStatusCode.Forbidden, ProblemTypes.HolderProofRefused);
        var payerCoins = payer.PaymentsInFlight.Single().Coins;
        await AssertProblemAsync(await PostAsync(server, route, payer.ProveHolding(paid.Id, world.UnionB.Record.Id, HolderProofPurpose.SpendReceipt, [.. payerCoins])!.Encode()), HttpStatusCode.Forbidden, ProblemTypes.HolderProofRefused);
        await AssertProblemAsync(await PostAsync(server, route, payer.ProveHolding(paid.Id, HolderProofPurpose.Refund)!.Encode()), HttpStatusCode.Forbidden, ProblemTypes.HolderProofRefused);
        byte[] badSignature = (byte[])valid.Clone();
        badSignature[^1] ^= 1;
        await AssertProblemAsync(await PostAsync(server, route, badSignature), HttpStatusCode.Forbidden, ProblemTypes.HolderProofRefused);

        // A payment the provider never took: no holder.
        var open = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        await AssertProblemAsync(await PostAsync(server, Route(open.Id), payer.ProveHolding(open.Id, world.UnionA.Record.Id, HolderProofPurpose.SpendReceipt, [.. payerCoins])!.Encode()), HttpStatusCode.NotFound, ProblemTypes.NotFound);

        // None of that spent the valid proof or changed the payment: it is answered once, then it is a replay.
        var answer = await PostAsync(server, route, valid);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(ProviderPaymentStatus.Verified, ProviderEnvelopes.DecodePaymentStatus(await answer.Content.ReadAsByteArrayAsync()).Status);
        await AssertProblemAsync(await PostAsync(server, route, valid), HttpStatusCode.Conflict, ProblemTypes.HolderProofReplayed);

        // Late: outside the window, with the provider's clock in Date.
        byte[] late = payer.ProveHolding(paid.Id)!.Encode();
        world.Time.Advance(HolderProof.MaxClockSkew + TimeSpan.FromSeconds(1));
        var stale = await PostAsync(server, route, late);
        await AssertProblemAsync(stale, HttpStatusCode.Forbidden, ProblemTypes.HolderProofStale);
        Assert.NotNull(stale.Headers.Date);

        Assert.Equal(ProviderPaymentStatus.Verified, (await world.UnionA.GetPaymentStatusAsync(paid.Id)).Status);
        Assert.Equal(2, (await world.UnionA.CreateDepositAsync(new IdempotencyKey("d-x2")))!.Spends.Length);
    }

    [Fact]
    public async Task ConcurrentCopiesOfOneProofAreAnsweredOnceAndDistinctProofsEach()
    {
        using var world = await WorldAsync();
        var (server, _) = await ServeAsync(world);
        var wallet = await world.FundedWalletAsync("worker-x4", world.General100, world.General100);
        var (paid, _) = await world.PayAsync(wallet, world.UnionA, 200);
        byte[] proof = wallet.ProveHolding(paid.Id)!.Encode();

        var copies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(server, Route(paid.Id), proof)));
        Assert.Single(copies, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(7, copies.Count(r => r.StatusCode == HttpStatusCode.Conflict));

        var fresh = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(server, Route(paid.Id), wallet.ProveHolding(paid.Id)!.Encode())));
        Assert.All(fresh, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task PublishedRequestRoutesRefuseBadIdsAndCodesAndClosedRequests()
    {
        using var world = await WorldAsync();
        var (server, client) = await ServeAsync(world);
        var offer = await world.UnionA.PublishPaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromMinutes(10));
        var unpublished = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));

        await AssertProblemAsync(await server.Http.GetAsync("provider/requests/xyz"), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
        await AssertProblemAsync(await server.Http.GetAsync("provider/offers/ABCDEFGHJK"), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
        await AssertProblemAsync(await server.Http.GetAsync("provider/offers/" + new string('a', 300)), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
        await AssertProblemAsync(await server.Http.GetAsync("provider/requests/" + unpublished.Id), HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await AssertProblemAsync(await server.Http.GetAsync("provider/offers/0000000000"), HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Null(await client.GetPaymentRequestAsync(unpublished.Id));
        Assert.Null(await client.GetPaymentOfferAsync("0000000000"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetPaymentOfferAsync("not a code"));

        var served = await server.Http.GetAsync("provider/offers/" + offer.Code);
        Assert.Equal(PbMediaTypes.PaymentOffer, served.Content.Headers.ContentType!.MediaType);
        Assert.Equal(offer.Request.EncodeOffer(), await served.Content.ReadAsByteArrayAsync());

        world.Time.Advance(TimeSpan.FromMinutes(11));
        await AssertProblemAsync(await server.Http.GetAsync("provider/requests/" + offer.Request.Id), HttpStatusCode.Gone, ProblemTypes.RequestClosed);
        Assert.Equal(PaymentOfferStatus.Expired, (await world.UnionA.FindPaymentOfferAsync(offer.Code)).Status);
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        var (problemType, _) = await ReadProblemAsync(response);
        Assert.Equal(type, problemType);
    }

    private static async Task<(string? Type, string? Title)> ReadProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(PbMediaTypes.Problem, response.Content.Headers.ContentType?.MediaType);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (json.RootElement.GetProperty("type").GetString(), json.RootElement.GetProperty("title").GetString());
    }

    private static string Route(PaymentId payment) => $"provider/payments/{payment}/receipt";

    private static async Task<HttpResponseMessage> PostAsync(LoopbackScheme server, string path, byte[] body, string mediaType = PbMediaTypes.HolderProof)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await server.Http.PostAsync(path, content);
    }

    private static async Task<(LoopbackScheme Server, HttpProviderClient Client)> ServeAsync(ProtocolWorld world)
    {
        var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme, map: app => app.MapWalletProvider(world.UnionA, world.Scheme)));
        return (server, new HttpProviderClient(server.Http, new HttpSchemeClientOptions { BaseAddress = new Uri(server.Address, "provider/"), RetryDelay = TimeSpan.FromMilliseconds(20) }));
    }

    private static Task<ProtocolWorld> WorldAsync() => ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
}
