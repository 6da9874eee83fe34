using System.Net;
using Microsoft.AspNetCore.Builder;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

public sealed class ProviderEndpointTests
{
    [Fact]
    public async Task WalletPaysAProviderOverHttpAndTheProviderDepositsTheCoins()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme, map: app => app.MapWalletProvider(world.UnionA, world.Scheme)));
        var client = new HttpProviderClient(server.Http, new HttpSchemeClientOptions { BaseAddress = new Uri(server.Address, "provider/") });
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General500);

        var request = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(600), "dues", TimeSpan.FromHours(1));
        var prepared = wallet.PreparePayment(request, world.Registry);
        Assert.Equal(PaymentPreparationStatus.Ready, prepared.Status);

        Assert.Equal(PaymentVerification.Accepted, await client.SubmitPaymentAsync(request, prepared.Spends));
        // A lost answer: the same submission again hears the same verdict.
        Assert.Equal(PaymentVerification.Accepted, await client.SubmitPaymentAsync(request, prepared.Spends));
        // The request is closed: spends of it in any other form are refused.
        Assert.Equal(PaymentVerification.UnknownRequest, await client.SubmitPaymentAsync(request, [prepared.Spends[0]]));

        var (_, result) = await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(DepositStatus.Accepted, result.Status);
        Assert.Equal(600, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    [Fact]
    public async Task AForgottenSubmissionIsNeverAcceptedTwice()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme, map: app => app.MapWalletProvider(world.UnionA, world.Scheme, maxRememberedPayments: 1)));
        var client = new HttpProviderClient(server.Http, new HttpSchemeClientOptions { BaseAddress = new Uri(server.Address, "provider/") });
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General500);

        var first = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var firstSpends = wallet.PreparePayment(first, world.Registry).Spends;
        Assert.Equal(PaymentVerification.Accepted, await client.SubmitPaymentAsync(first, firstSpends));
        var second = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "more dues", TimeSpan.FromHours(1));
        var secondSpends = wallet.PreparePayment(second, world.Registry).Spends;
        Assert.Equal(PaymentVerification.Accepted, await client.SubmitPaymentAsync(second, secondSpends));

        // The first was forgotten (capacity 1): re-sent, the provider's own check refuses it instead of accepting it again.
        Assert.Equal(PaymentVerification.UnknownRequest, await client.SubmitPaymentAsync(first, firstSpends));
        Assert.Equal(PaymentVerification.Accepted, await client.SubmitPaymentAsync(second, secondSpends));

        var (request, result) = await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(DepositStatus.Accepted, result.Status);
        Assert.Equal(2, request.Spends.Length);
        Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Throws<ArgumentException>(() => WebApplication.CreateSlimBuilder().Build().MapWalletProvider(world.UnionA, world.Scheme, maxRememberedPayments: 0));
    }

    [Fact]
    public async Task MalformedSubmissionsAreProblems()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var server = world.Own(await LoopbackScheme.StartAsync(null, map: app => app.MapWalletProvider(world.UnionA, world.Scheme)));
        using var content = new ByteArrayContent([1, 0, 0, 0, 5, 1, 2]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(PbMediaTypes.PaymentSubmission);

        var garbage = await server.Http.PostAsync("provider" + SchemeRoutes.Payments, content);

        await HostileClientTests.AssertProblem(garbage, HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
        using var wrongType = new ByteArrayContent([1]);
        wrongType.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        await HostileClientTests.AssertProblem(await server.Http.PostAsync("provider" + SchemeRoutes.Payments, wrongType), HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
    }

    [Fact]
    public async Task WalletFetchesTheSpendReceiptOrTheRejectionOverHttp()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme, map: app => app.MapWalletProvider(world.UnionA, world.Scheme)));
        var client = new HttpProviderClient(server.Http, new HttpSchemeClientOptions { BaseAddress = new Uri(server.Address, "provider/") });
        var wallet = await world.FundedWalletAsync("worker-s1", world.General100, world.General100);
        var open = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var (paid, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var (rejected, _) = await world.PayAsync(wallet, world.UnionA, 100);

        Assert.Equal(ProviderPaymentStatus.Open, (await client.GetPaymentStatusAsync(open.Id)).Status);
        Assert.Equal(ProviderPaymentStatus.Verified, (await client.GetPaymentStatusAsync(paid.Id)).Status);
        Assert.Equal(ProviderPaymentStatus.Unknown, (await client.GetPaymentStatusAsync(new Wallet.Storage.Testing.MessageSamples(9).Request().Id)).Status);

        var (deposit, answer) = await world.DepositAsync(world.UnionA, "d-status");
        var proof = new Wallet.Storage.Testing.MessageSamples(10).Proof();
        await world.UnionA.CompleteDepositAsync(deposit, answer with
        {
            Payments = [new(paid.Id, DepositPaymentStatus.Accepted, null, []), new(rejected.Id, DepositPaymentStatus.DoubleSpend, null, [proof])],
        });

        var receipt = await client.GetPaymentStatusAsync(paid.Id);
        Assert.Equal(ProviderPaymentStatus.Paid, receipt.Status);
        Assert.True(receipt.Receipt!.Verify(paid, world.UnionA.Record.ReceiptKey));
        var refusal = await client.GetPaymentStatusAsync(rejected.Id);
        Assert.Equal(ProviderPaymentStatus.Rejected, refusal.Status);
        Assert.Equal(DepositPaymentStatus.DoubleSpend, refusal.Rejection!.Status);
        Assert.Equal(proof.Encode(), Assert.Single(refusal.Rejection.DoubleSpendProofs).Encode());
    }

    [Fact]
    public async Task AWalletClosesItsPaymentWithTheReceiptFetchedOverHttpAndGetsARefusedOneBackBySwap()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme, map: app => app.MapWalletProvider(world.UnionA, world.Scheme)));
        var client = new HttpProviderClient(server.Http, new HttpSchemeClientOptions { BaseAddress = new Uri(server.Address, "provider/") });
        var wallet = await world.FundedWalletAsync("worker-life", world.General100, world.General100);

        // One payment the provider takes, one it refuses (a request of another provider sent to it).
        var taken = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var takenSpends = wallet.PreparePayment(taken, world.Registry).Spends;
        Assert.Equal(PaymentVerification.Accepted, await client.SubmitPaymentAsync(taken, takenSpends));
        var refused = await world.UnionB.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var refusedSpends = wallet.PreparePayment(refused, world.Registry).Spends;
        Assert.Equal(PaymentVerification.UnknownRequest, await client.SubmitPaymentAsync(refused, refusedSpends));
        Assert.Equal(0, wallet.Balance.MinorUnits);
        Assert.Equal(new[] { taken.Id, refused.Id }.Order(), wallet.PaymentsInFlight.Select(p => p.Id).Order());

        // Before the deposit the provider holds the payment as verified; after it, the signed receipt comes over HTTP.
        Assert.Equal(ProviderPaymentStatus.Verified, (await client.GetPaymentStatusAsync(taken.Id)).Status);
        var (batch, deposited) = await world.DepositAsync(world.UnionA, "d-life");
        Assert.Equal(DepositStatus.Accepted, deposited.Status);
        Assert.Single(await world.UnionA.CompleteDepositAsync(batch, deposited));
        var status = await client.GetPaymentStatusAsync(taken.Id);
        Assert.Equal(ProviderPaymentStatus.Paid, status.Status);
        Assert.True(wallet.AcceptSpendReceipt(status.Receipt!, taken, world.Registry));
        Assert.Equal(refused.Id, Assert.Single(wallet.PaymentsInFlight).Id);

        // The refused payment's coins come back through a swap into fresh coins; the scheme never saw them spent.
        var swap = wallet.PrepareAbandonPayment(refused.Id, new IdempotencyKey("abandon-1"), [world.General100.Id]);
        Assert.Equal(SwapPreparationStatus.Ready, swap.Status);
        var abandoned = wallet.CompleteAbandonPayment(swap.Request!, await world.Scheme.SwapAsync(swap.Request!));
        Assert.Equal(PaymentAbandonmentStatus.Refunded, abandoned.Status);
        Assert.Equal(100, wallet.Balance.MinorUnits);
        Assert.Empty(wallet.PaymentsInFlight);
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    [Theory]
    [InlineData("nothex")]
    [InlineData("00")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("000000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("%C3%A900000000000000000000000000000000000000000000000000000000000")]
    public async Task BadPaymentIdIsAnInvalidParameterProblem(string id)
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var server = world.Own(await LoopbackScheme.StartAsync(null, map: app => app.MapWalletProvider(world.UnionA, world.Scheme)));

        await HostileClientTests.AssertProblem(await server.Http.GetAsync($"provider{SchemeRoutes.Payments}/{id}"), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
        await HostileClientTests.AssertProblem(await server.Http.GetAsync($"provider{SchemeRoutes.Payments}/{new string('a', 64)}"), HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}
