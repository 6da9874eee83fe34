using System.Net;
using Microsoft.AspNetCore.Builder;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Mandates;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>The union's mandate routes over loopback HTTP (docs/PROTOCOL.md 5.19): mandate, period requests, paid-up statement.</summary>
public sealed class ProviderMandateEndpointTests
{
    [Fact]
    public async Task MemberFetchesTheMandatePaysAPeriodAndGetsAPaidUpStatementOverHttp()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme, map: app => app.MapWalletProvider(world.UnionA, world.Scheme)));
        var client = new HttpProviderClient(server.Http, new HttpSchemeClientOptions { BaseAddress = new Uri(server.Address, "provider/") });
        var wallet = await world.FundedWalletAsync("member-h1", world.General100);
        var issued = await world.UnionA.IssueMandateAsync([1, 2, 3], Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, TimeSpan.FromDays(7), TimeSpan.FromDays(5), world.Time.GetUtcNow(), null);

        var mandate = (await client.GetMandateAsync(issued.Id))!;
        Assert.Equal(issued.Encode(), mandate.Encode());
        Assert.Equal(MandateAcceptance.Accepted, wallet.AcceptMandate(mandate, world.Registry));

        world.Time.SetUtcNow(mandate.PeriodStart(0) + TimeSpan.FromDays(5) - TimeSpan.FromSeconds(1));
        var due = Assert.Single(wallet.DueMandatePayments(world.Time.GetUtcNow()));
        var request = (await client.RequestMandatePaymentAsync(mandate.Id, due.Period))!;
        var prepared = wallet.PrepareMandatePayment(mandate.Id, due.Period, request, world.Registry);
        Assert.Equal(PaymentPreparationStatus.Ready, prepared.Status);
        Assert.Equal(PaymentVerification.Accepted, await client.SubmitPaymentAsync(request, prepared.Spends));
        var (deposit, result) = await world.DepositAsync(world.UnionA, "d1");
        var (_, receipt) = Assert.Single(await world.UnionA.CompleteDepositAsync(deposit, result));
        Assert.True(wallet.AcceptSpendReceipt(receipt, request, world.Registry));

        var statement = (await client.GetPaidUpStatementAsync(mandate.Id))!;
        Assert.True(statement.Verify(mandate, world.UnionA.Record.ReceiptKey));
        Assert.Equal(1u, statement.PeriodsPaid);

        // The paid period is not offered again; a period not yet started is not offered either.
        Assert.Null(await client.RequestMandatePaymentAsync(mandate.Id, 0));
        Assert.Null(await client.RequestMandatePaymentAsync(mandate.Id, 1));
    }

    [Fact]
    public async Task UnknownMandatesAreNotFoundAndBadParametersAreProblems()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var server = world.Own(await LoopbackScheme.StartAsync(null, map: app => app.MapWalletProvider(world.UnionA, world.Scheme)));
        var client = new HttpProviderClient(server.Http, new HttpSchemeClientOptions { BaseAddress = new Uri(server.Address, "provider/") });
        var unknown = MandateId.New();

        Assert.Null(await client.GetMandateAsync(unknown));
        Assert.Null(await client.GetPaidUpStatementAsync(unknown));
        Assert.Null(await client.RequestMandatePaymentAsync(unknown, 0));

        await HostileClientTests.AssertProblem(await server.Http.GetAsync("provider/mandates/not-hex"), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
        await HostileClientTests.AssertProblem(await server.Http.GetAsync($"provider/mandates/{new string('a', 63)}/statement"), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
        using var empty = new ByteArrayContent([]);
        await HostileClientTests.AssertProblem(await server.Http.PostAsync($"provider{MandateRoutes.MandatePath(unknown)}/periods/4294967296/request", empty), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
        await HostileClientTests.AssertProblem(await server.Http.PostAsync($"provider{MandateRoutes.MandatePath(unknown)}/periods/-1/request", empty), HttpStatusCode.BadRequest, ProblemTypes.InvalidParameter);
        await HostileClientTests.AssertProblem(await server.Http.GetAsync($"provider{MandateRoutes.MandatePath(unknown)}"), HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}
