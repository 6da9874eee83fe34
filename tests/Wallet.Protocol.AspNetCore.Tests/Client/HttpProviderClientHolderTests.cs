using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.AspNetCore.Tests.Client;

/// <summary>
/// The provider client's holder and offer calls against a server that answers exactly what a test tells it: every
/// problem becomes a typed result or a <see cref="SchemeHttpException"/> carrying its type, and garbage is never trusted.
/// </summary>
public sealed class HttpProviderClientHolderTests : IDisposable
{
    private readonly Ed25519SigningKey _coin = Ed25519SigningKey.Generate();
    private readonly PaymentId _payment = new MessageSamples(7).Request().Id;

    public void Dispose() => _coin.Dispose();

    public static TheoryData<int, string> Refusals() => new()
    {
        { 400, ProblemTypes.MalformedMessage },
        { 400, ProblemTypes.InvalidParameter },
        { 403, ProblemTypes.HolderProofRefused },
        { 403, ProblemTypes.HolderProofStale },
        { 409, ProblemTypes.HolderProofReplayed },
        { 413, ProblemTypes.BodyTooLarge },
        { 415, ProblemTypes.UnsupportedMediaType },
        { 429, ProblemTypes.RateLimited },
        { 500, ProblemTypes.Internal },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task EveryProblemOfTheReceiptRouteIsATypedException(int status, string type)
    {
        using var server = await StubAsync(_ => (status, type, null));
        var client = Client(server);

        var error = await Assert.ThrowsAsync<SchemeHttpException>(() => client.GetSpendReceiptAsync(Proof()));

        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal(type, error.ProblemType);
    }

    [Fact]
    public async Task NotFoundIsAnUnknownPaymentAndGarbageOrAnotherPaymentIsRefused()
    {
        using (var notFound = await StubAsync(_ => (404, ProblemTypes.NotFound, null)))
        {
            Assert.Equal(ProviderPaymentStatus.Unknown, (await Client(notFound).GetSpendReceiptAsync(Proof())).Status);
        }

        using (var garbage = await StubAsync(_ => (200, null, [1, 2, 3])))
        {
            await Assert.ThrowsAsync<SchemeHttpException>(() => Client(garbage).GetSpendReceiptAsync(Proof()));
        }

        var other = new ProviderPaymentState(new MessageSamples(8).Request().Id, ProviderPaymentStatus.Verified, null, null);
        using var wrong = await StubAsync(_ => (200, null, ProviderEnvelopes.EncodePaymentStatus(other)));
        await Assert.ThrowsAsync<SchemeHttpException>(() => Client(wrong).GetSpendReceiptAsync(Proof()));
        await Assert.ThrowsAsync<ArgumentException>(() => Client(wrong).GetSpendReceiptAsync(HolderProof.Sign(HolderProofPurpose.Refund, new AccountId("p"), _payment, DateTimeOffset.UnixEpoch, [_coin])));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Client(wrong).GetSpendReceiptAsync((HolderProof)null!));
    }

    [Theory]
    [InlineData(409, "https://walletcore.invalid/problems/holder-proof-replayed")]
    [InlineData(403, "https://walletcore.invalid/problems/holder-proof-stale")]
    public async Task TheSigningOverloadSignsOneFreshProofAfterAReplayOrStaleAnswer(int status, string type)
    {
        var state = new ProviderPaymentState(_payment, ProviderPaymentStatus.Verified, null, null);
        using var server = await StubAsync(call => call == 1 ? (status, type, null) : (200, null, ProviderEnvelopes.EncodePaymentStatus(state)));
        var proofs = new List<HolderProof>();

        var answer = await Client(server).GetSpendReceiptAsync(() =>
        {
            proofs.Add(Proof());
            return proofs[^1];
        });

        Assert.Equal(ProviderPaymentStatus.Verified, answer!.Status);
        Assert.Equal(2, proofs.Count);
        Assert.NotEqual(proofs[0].BodyHash(), proofs[1].BodyHash());
    }

    [Fact]
    public async Task TheSigningOverloadGivesUpAfterOneFreshProofAndWithoutAProof()
    {
        using var server = await StubAsync(_ => (409, ProblemTypes.HolderProofReplayed, null));
        int signed = 0;

        var error = await Assert.ThrowsAsync<SchemeHttpException>(() => Client(server).GetSpendReceiptAsync(() =>
        {
            signed++;
            return Proof();
        }));

        Assert.Equal(ProblemTypes.HolderProofReplayed, error.ProblemType);
        Assert.Equal(2, signed);
        Assert.Null(await Client(server).GetSpendReceiptAsync(() => null));
        await Assert.ThrowsAsync<SchemeHttpException>(() => Client(server).GetSpendReceiptAsync(() => Proof()));
    }

    private HolderProof Proof() => HolderProof.Sign(HolderProofPurpose.SpendReceipt, new AccountId("p"), _payment, DateTimeOffset.UnixEpoch, [_coin]);

    private static HttpProviderClient Client(LoopbackScheme server) =>
        new(server.Http, new HttpSchemeClientOptions { BaseAddress = new Uri(server.Address, "provider/"), RetryDelay = TimeSpan.FromMilliseconds(10), MaxAttempts = 2 });

    // Answers the receipt route with (status, problem type or null, body): a problem when a type is given, else the body as a payment status.
    private static Task<LoopbackScheme> StubAsync(Func<int, (int Status, string? Type, byte[]? Body)> answer)
    {
        int calls = 0;
        return LoopbackScheme.StartAsync(null, map: app => app.MapPost("/provider/payments/{payment}/receipt", async (HttpContext context) =>
        {
            var (status, type, body) = answer(Interlocked.Increment(ref calls));
            context.Response.StatusCode = status;
            if (type is not null)
            {
                context.Response.ContentType = PbMediaTypes.Problem;
                await context.Response.WriteAsync($"{{\"type\":\"{type}\",\"title\":\"stub\",\"status\":{status}}}");
                return;
            }

            context.Response.ContentType = PbMediaTypes.PaymentStatus;
            await context.Response.Body.WriteAsync(body);
        }));
    }
}
