using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Refunds;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>
/// The provider's refund route (docs/PROTOCOL.md 5.17 and 5.20) over loopback: the payer proves it holds the paid
/// coins, receives the provider's signed refund and claims it at the scheme over HTTP; nobody else is handed it.
/// </summary>
public sealed class ProviderRefundEndpointTests
{
    [Fact]
    public async Task ThePayerFetchesItsRefundByProvingItHoldsTheCoinsAndClaimsItOverHttp()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme, map: app => app.MapWalletProvider(world.UnionA, world.Scheme)));
        var provider = new HttpProviderClient(server.Http, new HttpSchemeClientOptions { BaseAddress = new Uri(server.Address, "provider/"), RetryDelay = TimeSpan.FromMilliseconds(20) });
        var scheme = new HttpSchemeClient(server.Http, new HttpSchemeClientOptions { BaseAddress = new Uri(server.Address, "pb1/"), RetryDelay = TimeSpan.FromMilliseconds(20) });
        var wallet = await world.FundedWalletAsync("worker-r1", world.General100, world.General100);
        var stranger = await world.FundedWalletAsync("worker-r2", world.General100);
        var (request, spends) = await world.PayAsync(wallet, world.UnionA, 200);
        var (deposit, result) = await world.DepositAsync(world.UnionA, "d-r1");
        await world.UnionA.CompleteDepositAsync(deposit, result);
        var coins = spends.Select(s => s.Coin.Id).Order().ToArray();

        // Before any refund: the holder hears an empty list.
        Assert.Empty((await provider.GetRefundsAsync(wallet.ProveHolding(request.Id, world.UnionA.Record.Id, HolderProofPurpose.Refund, coins)!))!);

        var issued = await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(200));
        Assert.Equal(RefundIssuanceStatus.Issued, issued.Status);

        // A stranger's coins, or a proof made for a receipt, are refused; nothing is handed out.
        var strangerCoins = (await world.PayAsync(stranger, world.UnionA, 100)).Spends.Select(s => s.Coin.Id).ToArray();
        var refused = await Assert.ThrowsAsync<SchemeHttpException>(() => provider.GetRefundsAsync(stranger.ProveHolding(request.Id, world.UnionA.Record.Id, HolderProofPurpose.Refund, strangerCoins)!));
        Assert.Equal((HttpStatusCode.Forbidden, ProblemTypes.HolderProofRefused), (refused.StatusCode, refused.ProblemType));
        using (var content = new ByteArrayContent(wallet.ProveHolding(request.Id, world.UnionA.Record.Id, HolderProofPurpose.SpendReceipt, coins)!.Encode()))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(PbMediaTypes.HolderProof);
            using var wrongPurpose = await server.Http.PostAsync($"provider/payments/{request.Id}/refunds", content);
            Assert.Equal(HttpStatusCode.Forbidden, wrongPurpose.StatusCode);
        }

        await Assert.ThrowsAsync<ArgumentException>(() => provider.GetRefundsAsync(wallet.ProveHolding(request.Id, world.UnionA.Record.Id, HolderProofPurpose.SpendReceipt, coins)!));

        // The payer: the refund, then fresh coins from the scheme over HTTP.
        var refund = Assert.Single((await provider.GetRefundsAsync(wallet.ProveHolding(request.Id, world.UnionA.Record.Id, HolderProofPurpose.Refund, coins)!))!);
        Assert.Equal(issued.Refund!.Encode(), refund.Encode());
        var claim = wallet.PrepareRefundClaim(refund).Request!;
        var claimed = await scheme.ClaimRefundAsync(claim);
        Assert.Equal(RefundClaimStatus.Accepted, claimed.Status);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteRefundClaim(claim, claimed.Response!));
        Assert.Equal(200, wallet.Balance.MinorUnits);

        // An unknown payment is a 404, which the client reads as null.
        var unknown = new Wallet.Storage.Testing.MessageSamples(9).Request().Id;
        Assert.Null(await provider.GetRefundsAsync(wallet.ProveHolding(unknown, world.UnionA.Record.Id, HolderProofPurpose.Refund, coins)!));
    }

    [Fact]
    public void TheRefundEnvelopeRoundTripsAndRefusesAnotherPaymentsRefund()
    {
        var samples = new Wallet.Storage.Testing.MessageSamples(3);
        var payment = samples.Request().Id;
        Assert.Empty(ProviderEnvelopes.DecodeRefunds(ProviderEnvelopes.EncodeRefunds(payment, [])).Refunds);
        Assert.Throws<ProtocolFormatException>(() => ProviderEnvelopes.DecodeRefunds([1, 2, 3]));
        byte[] empty = ProviderEnvelopes.EncodeRefunds(payment, []);
        Assert.Throws<ProtocolFormatException>(() => ProviderEnvelopes.DecodeRefunds([.. empty, 0]));
        Assert.Throws<ProtocolFormatException>(() => ProviderEnvelopes.DecodeRefunds(empty[..^1]));
    }
}
