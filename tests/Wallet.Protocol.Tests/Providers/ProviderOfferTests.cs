using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Providers;

/// <summary>Published payment requests (docs/PROTOCOL.md 5.20): fetchable by id or offer code while open, closed once paid or expired.</summary>
public sealed class ProviderOfferTests
{
    [Fact]
    public async Task APublishedRequestIsFoundByIdAndCodeUntilItIsPaid()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var offer = await world.UnionA.PublishPaymentRequestAsync(Amount.FromMinorUnits(100), "dues 2026-01", TimeSpan.FromHours(1));

        Assert.True(AccreditedProvider.IsOfferCode(offer.Code));
        var byId = await world.UnionA.FindPaymentOfferAsync(offer.Request.Id);
        var byCode = await world.UnionA.FindPaymentOfferAsync(offer.Code);
        Assert.Equal(PaymentOfferStatus.Open, byId.Status);
        Assert.Same(offer, byId.Offer);
        Assert.Same(offer, byCode.Offer);
        Assert.Equal("dues 2026-01", byCode.Offer!.Request.Details!.Purpose);

        var wallet = await world.FundedWalletAsync("worker-o1", world.General100);
        var prepared = wallet.PreparePayment(offer.Request, world.Registry);
        Assert.Equal(PaymentPreparationStatus.Ready, prepared.Status);
        Assert.Equal(PaymentVerification.Accepted, await world.UnionA.VerifyPaymentAsync(offer.Request, prepared.Spends, world.AllKeysets));

        Assert.Equal(new PaymentOfferLookup(PaymentOfferStatus.Closed, null), await world.UnionA.FindPaymentOfferAsync(offer.Code));
        Assert.Equal(new PaymentOfferLookup(PaymentOfferStatus.Closed, null), await world.UnionA.FindPaymentOfferAsync(offer.Request.Id));
    }

    [Fact]
    public async Task AnExpiredOrUnpublishedRequestIsNotServed()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var offer = await world.UnionA.PublishPaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromMinutes(10));
        var unpublished = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));

        Assert.Equal(PaymentOfferStatus.Unknown, (await world.UnionA.FindPaymentOfferAsync(unpublished.Id)).Status);
        Assert.Equal(PaymentOfferStatus.Unknown, (await world.UnionA.FindPaymentOfferAsync("0000000000")).Status);
        Assert.Equal(PaymentOfferStatus.Unknown, (await world.UnionB.FindPaymentOfferAsync(offer.Code)).Status);
        world.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(PaymentOfferStatus.Expired, (await world.UnionA.FindPaymentOfferAsync(offer.Code)).Status);
    }

    [Theory]
    [InlineData("0123456789", true)]
    [InlineData("abcdefghjk", true)]
    [InlineData("abcdefghji", false)]
    [InlineData("ABCDEFGHJK", false)]
    [InlineData("012345678", false)]
    [InlineData("01234567890", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void AnOfferCodeIsTenCharactersOfItsAlphabet(string? code, bool valid) => Assert.Equal(valid, AccreditedProvider.IsOfferCode(code));

    [Fact]
    public async Task OfferCodesAreDrawnAtRandom()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var codes = new HashSet<string>();
        for (int i = 0; i < 20; i++)
        {
            codes.Add((await world.UnionA.PublishPaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1))).Code);
        }

        Assert.Equal(20, codes.Count);
    }
}
