using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Payouts;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>
/// The payout endpoint under hostile input (docs/PROTOCOL.md 5.18): malformed bodies, zero, negative and out-of-range
/// amounts, unknown providers, replays and key reuse, and no operator key. Every refusal is typed and moves nothing.
/// </summary>
public sealed class PayoutEndpointTests
{
    [Fact]
    public async Task MalformedBodiesAndNonPositiveAmountsAre400AndMoveNothing()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var provider = await PayableAsync(op.World);
            var head = await op.LedgerHeadAsync();
            byte[] valid = OperatorEnvelopes.EncodePayout(new IdempotencyKey("po-1"), provider, Amount.FromMinorUnits(100));
            byte[][] bodies =
            [
                [],
                [1],
                [2, .. valid[1..]],
                valid[..^1],
                [.. valid, 0],
                Raw("po-1", provider.Value, 0),
                Raw("po-1", provider.Value, -1),
                Raw("po-1", provider.Value, long.MinValue),
                Raw("po-1", "", 5),
                Raw("po 1", provider.Value, 5),
                [.. Raw("po-1", provider.Value, 5), 0xFF],
            ];

            foreach (byte[] body in bodies)
            {
                var response = await op.PostAsync(OperatorRoutes.Payouts, OperatorMediaTypes.Payout, body);
                await OperatorEndpointTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
            }

            var wrongType = await op.PostAsync(OperatorRoutes.Payouts, OperatorMediaTypes.Contribution, valid);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
            Assert.Equal(head, await op.LedgerHeadAsync());
            Assert.Equal(600, await op.World.Scheme.GetProviderBalanceAsync(provider));
        }
    }

    [Fact]
    public async Task AmountsBeyondThePayableAndUnknownProvidersAreTypedRefusals()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var provider = await PayableAsync(op.World);
            var head = await op.LedgerHeadAsync();

            var tooMuch = await ResultAsync(op, OperatorEnvelopes.EncodePayout(new IdempotencyKey("po-max"), provider, Amount.FromMinorUnits(long.MaxValue)));
            var unknown = await ResultAsync(op, OperatorEnvelopes.EncodePayout(new IdempotencyKey("po-who"), new AccountId("not-accredited"), Amount.FromMinorUnits(1)));

            Assert.Equal((PayoutStatus.InsufficientPayable, (PayoutStatement?)null), (tooMuch.Status, tooMuch.Statement));
            Assert.Equal((PayoutStatus.UnknownProvider, (PayoutStatement?)null), (unknown.Status, unknown.Statement));
            Assert.Equal(head.Sequence, (await op.LedgerHeadAsync()).Sequence);
            Assert.Equal(600, await op.World.Scheme.GetProviderBalanceAsync(provider));
        }
    }

    [Fact]
    public async Task AReplayedRequestGetsTheSameBytesAndAReusedKeyIsRefused()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var provider = await PayableAsync(op.World);
            byte[] body = OperatorEnvelopes.EncodePayout(new IdempotencyKey("po-1"), provider, Amount.FromMinorUnits(250));

            var first = await op.PostAsync(OperatorRoutes.Payouts, OperatorMediaTypes.Payout, body, idempotencyKey: "po-1");
            var second = await op.PostAsync(OperatorRoutes.Payouts, OperatorMediaTypes.Payout, body, idempotencyKey: "po-1");
            var reused = await op.PostAsync(OperatorRoutes.Payouts, OperatorMediaTypes.Payout, OperatorEnvelopes.EncodePayout(new IdempotencyKey("po-1"), provider, Amount.FromMinorUnits(251)), idempotencyKey: "po-1");
            var mismatch = await op.PostAsync(OperatorRoutes.Payouts, OperatorMediaTypes.Payout, body, idempotencyKey: "po-2");

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            byte[] bytes = await first.Content.ReadAsByteArrayAsync();
            Assert.Equal(bytes, await second.Content.ReadAsByteArrayAsync());
            Assert.True(OperatorEnvelopes.DecodePayoutResult(bytes).Statement!.Verify(op.World.Scheme.PublicKey));
            await OperatorEndpointTests.AssertProblemAsync(reused, HttpStatusCode.UnprocessableEntity, ProblemTypes.IdempotencyKeyReused);
            await OperatorEndpointTests.AssertProblemAsync(mismatch, HttpStatusCode.BadRequest, ProblemTypes.IdempotencyKeyMismatch);
            Assert.Equal(350, await op.World.Scheme.GetProviderBalanceAsync(provider));
        }
    }

    [Fact]
    public async Task WithoutTheOperatorKeyNothingIsPaid()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var provider = await PayableAsync(op.World);
            byte[] body = OperatorEnvelopes.EncodePayout(new IdempotencyKey("po-1"), provider, Amount.FromMinorUnits(600));

            var anonymous = await op.PostAsync(OperatorRoutes.Payouts, OperatorMediaTypes.Payout, body, anonymous: true);
            var wrong = await op.PostAsync(OperatorRoutes.Payouts, OperatorMediaTypes.Payout, body, authorization: new AuthenticationHeaderValue("Bearer", "AAAA"));

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal(600, await op.World.Scheme.GetProviderBalanceAsync(provider));
        }
    }

    private static async Task<PayoutResult> ResultAsync(OperatorServer op, byte[] body)
    {
        var response = await op.PostAsync(OperatorRoutes.Payouts, OperatorMediaTypes.Payout, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OperatorMediaTypes.PayoutResult, response.Content.Headers.ContentType?.MediaType);
        return OperatorEnvelopes.DecodePayoutResult(await response.Content.ReadAsByteArrayAsync());
    }

    // The payout envelope written by hand (version, key, provider, big-endian i64 amount), so values the encoder refuses can be sent.
    private static byte[] Raw(string key, string provider, long amount)
    {
        byte[] amountBytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(amountBytes, amount);
        return [1, (byte)key.Length, .. System.Text.Encoding.ASCII.GetBytes(key), (byte)provider.Length, .. System.Text.Encoding.ASCII.GetBytes(provider), .. amountBytes];
    }

    private static async Task<AccountId> PayableAsync(ProtocolWorld world)
    {
        var (wallet, _) = await world.NewWalletAsync("worker-http-payout", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General500);
        await world.PayAsync(wallet, world.UnionA, 600);
        var (_, result) = await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(DepositStatus.Accepted, result.Status);
        return world.UnionA.Record.Id;
    }
}
