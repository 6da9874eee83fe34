using System.Net;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Refunds;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;
using static Wallet.Protocol.AspNetCore.Tests.Endpoints.HostileClientTests;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>
/// The refund claim endpoint under hostile input (docs/PROTOCOL.md 5.17): malformed and mis-sized bodies are typed 400
/// problems that move nothing, a replay answers the same bytes, and a second claim of the same refund is refused.
/// </summary>
public sealed class RefundClaimEndpointTests
{
    [Fact]
    public async Task TruncatedOrResizedClaimIsA400AndMovesNothing()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var claim = await ClaimAsync(world);
            byte[] valid = claim.Encode();
            var head = await world.Ledger.GetHeadAsync();

            // Cut inside the last coin signature, a signature short, one byte too many, a refund whose length prefix lies,
            // and a body cut inside the refund (version, key, then the refund's u16 length).
            int at = 2 + valid[1];
            int refundLength = (valid[at] << 8) | valid[at + 1];
            byte[] lying = (byte[])valid.Clone();
            lying[at] ^= 0x7f;
            foreach (var body in new[] { valid[..^1], valid[..^64], [.. valid, 0], lying, valid[..(at + 2 + (refundLength / 2))] })
            {
                string problem = await AssertProblem(await Post(server, SchemeRoutes.RefundClaims, PbMediaTypes.RefundClaimRequest, body), HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
                Assert.DoesNotContain("Exception", problem, StringComparison.Ordinal);
            }

            Assert.Equal(head, await world.Ledger.GetHeadAsync());
            Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        }
    }

    [Fact]
    public async Task ReplayAnswersTheSameBytesAndAnotherClaimOfTheRefundIsRefused()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var claim = await ClaimAsync(world);
            byte[] body = claim.Encode();

            var first = await Post(server, SchemeRoutes.RefundClaims, PbMediaTypes.RefundClaimRequest, body);
            var again = await Post(server, SchemeRoutes.RefundClaims, PbMediaTypes.RefundClaimRequest, body, idempotencyKey: claim.IdempotencyKey.Value);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            byte[] answer = await first.Content.ReadAsByteArrayAsync();
            Assert.Equal(answer, await again.Content.ReadAsByteArrayAsync());
            var result = PbEnvelopes.DecodeRefundClaimResult(answer);
            Assert.Equal(RefundClaimStatus.Accepted, result.Status);
            Assert.True(result.Response!.Verify(claim.Hash(), world.Scheme.PublicKey));

            var mismatch = await Post(server, SchemeRoutes.RefundClaims, PbMediaTypes.RefundClaimRequest, body, idempotencyKey: "another-key");
            await AssertProblem(mismatch, HttpStatusCode.BadRequest, ProblemTypes.IdempotencyKeyMismatch);
            Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        }
    }

    [Fact]
    public void ResultEnvelopeRefusesAnUnknownStatusAndAnIndexOutOfRange()
    {
        byte[] refused = PbEnvelopes.EncodeRefundClaimResult(new RefundClaimResult(RefundClaimStatus.BadOutputs, null, 3));
        Assert.Equal(new RefundClaimResult(RefundClaimStatus.BadOutputs, null, 3), PbEnvelopes.DecodeRefundClaimResult(refused));

        byte[] unknown = (byte[])refused.Clone();
        unknown[1] = 200;
        Assert.Throws<Wallet.Protocol.Wire.ProtocolFormatException>(() => PbEnvelopes.DecodeRefundClaimResult(unknown));

        byte[] outOfRange = (byte[])refused.Clone();
        outOfRange[^2] = 0xff;
        Assert.Throws<Wallet.Protocol.Wire.ProtocolFormatException>(() => PbEnvelopes.DecodeRefundClaimResult(outOfRange));

        // Accepted needs its response; a refusal carries none.
        byte[] acceptedWithout = (byte[])refused.Clone();
        acceptedWithout[1] = (byte)RefundClaimStatus.Accepted;
        Assert.Throws<Wallet.Protocol.Wire.ProtocolFormatException>(() => PbEnvelopes.DecodeRefundClaimResult(acceptedWithout));
    }

    // A wallet that paid UnionA 200 (deposited and settled), and its claim of UnionA's whole refund.
    private static async Task<RefundClaimRequest> ClaimAsync(ProtocolWorld world)
    {
        var (wallet, _, request, _) = await world.PaidAndSettledAsync(world.UnionA, 200);
        var issued = await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(200));
        Assert.Equal(RefundIssuanceStatus.Issued, issued.Status);
        var prepared = wallet.PrepareRefundClaim(issued.Refund!);
        Assert.Equal(RefundClaimPreparationStatus.Ready, prepared.Status);
        return prepared.Request!;
    }
}
