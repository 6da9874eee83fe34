using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Providers;

/// <summary>The provider role: offline verdicts on offered coins, then deposit and spend receipts.</summary>
public sealed class AccreditedProviderTests
{
    [Fact]
    public async Task VerifiedPaymentIsAcceptedOnceAndThenTheRequestIsUnknown()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-p1", world.General100, world.General100);
        var (request, spends) = await world.PayAsync(wallet, world.UnionA, 200);

        Assert.Equal(PaymentVerification.UnknownRequest, world.UnionA.VerifyPayment(request, spends, world.AllKeysets));
        Assert.Equal(PaymentVerification.UnknownRequest, world.UnionB.VerifyPayment(request, spends, world.AllKeysets));
    }

    [Fact]
    public async Task OfferedCoinsAreRefusedForTheFirstFailingCheckAndTheRequestStaysOpen()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-p2", world.General100, world.General100);
        var provider = world.UnionA;
        var request = provider.CreatePaymentRequest(Amount.FromMinorUnits(200), "dues", TimeSpan.FromHours(1));
        var spends = wallet.PreparePayment(request, world.Registry).Spends;
        var other = provider.CreatePaymentRequest(Amount.FromMinorUnits(200), "dues", TimeSpan.FromHours(1));

        Assert.Equal(PaymentVerification.WrongRequest, provider.VerifyPayment(other, spends, world.AllKeysets));
        Assert.Equal(PaymentVerification.UnknownKeyset, provider.VerifyPayment(request, spends, [world.General500]));
        Assert.Equal(PaymentVerification.AmountMismatch, provider.VerifyPayment(request, [spends[0]], world.AllKeysets));
        Assert.Equal(PaymentVerification.AmountMismatch, provider.VerifyPayment(request, [spends[0], spends[0]], world.AllKeysets));
        Assert.Equal(PaymentVerification.BadSpendSignature, provider.VerifyPayment(request, [spends[0], Forged(spends[1], issuer: false)], world.AllKeysets));
        Assert.Equal(PaymentVerification.BadIssuerSignature, provider.VerifyPayment(request, [Forged(spends[0], issuer: true), spends[1]], world.AllKeysets));
        Assert.Equal(PaymentVerification.Accepted, provider.VerifyPayment(request, spends, world.AllKeysets));
    }

    [Fact]
    public async Task ExpiredRequestIsRefused()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-p3", world.General100);
        var request = world.UnionA.CreatePaymentRequest(Amount.FromMinorUnits(100), "dues", TimeSpan.FromMinutes(10));
        var spends = wallet.PreparePayment(request, world.Registry).Spends;
        world.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        Assert.Equal(PaymentVerification.Expired, world.UnionA.VerifyPayment(request, spends, world.AllKeysets));
    }

    [Fact]
    public async Task SpendReceiptsComeOnlyFromAVerifiedDepositReceipt()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-p4", world.General100, world.General100);
        var (first, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var (second, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var deposit = world.UnionA.CreateDeposit(new IdempotencyKey("d1"))!;
        Assert.Equal(2, deposit.Spends.Length);

        Assert.Empty(world.UnionA.CompleteDeposit(deposit, new DepositResult(DepositStatus.Rejected, null, [], [])));
        var result = await world.Client.DepositAsync(deposit);
        var stranger = new DepositRequest(deposit.Provider, new IdempotencyKey("d2"), deposit.Spends);
        Assert.Empty(world.UnionA.CompleteDeposit(stranger, result));
        Assert.Equal(deposit.Encode(), world.UnionA.CreateDeposit(new IdempotencyKey("d1"))!.Encode());

        var receipts = world.UnionA.CompleteDeposit(deposit, result);
        Assert.Equal(2, receipts.Count);
        Assert.All(receipts, r => Assert.True(r.Receipt.Verify(r.Request, world.UnionA.Record.ReceiptKey)));
        Assert.Equal(new[] { first.Hash(), second.Hash() }.Select(Convert.ToHexString).Order(), receipts.Select(r => Convert.ToHexString(r.Request.Hash())).Order());
        Assert.Null(world.UnionA.CreateDeposit(new IdempotencyKey("d3")));
        Assert.Empty(world.UnionA.CompleteDeposit(deposit, result));
    }

    [Fact]
    public async Task ProviderRejectsAnotherReceiptKeyOrNegativeValidityAndToStringShowsNoKey()
    {
        using var world = await WorldAsync();
        using var stranger = Ed25519SigningKey.Generate();
        Assert.Throws<ArgumentException>("receiptKey", () => new AccreditedProvider(world.UnionA.Record, stranger, world.Scheme.PublicKey, world.Time));
        Assert.Throws<ArgumentOutOfRangeException>("validity", () => world.UnionA.CreatePaymentRequest(Amount.FromMinorUnits(1), "x", TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>("amount", () => world.UnionA.CreatePaymentRequest(Amount.Zero, "x", TimeSpan.FromSeconds(1)));

        string text = world.UnionA.ToString();
        Assert.Contains("union-a", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(world.UnionA.Record.ReceiptKey.AsSpan()[..8]), text, StringComparison.OrdinalIgnoreCase);
    }

    private static Task<ProtocolWorld> WorldAsync() =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());

    private static CoinSpend Forged(CoinSpend spend, bool issuer)
    {
        byte[] signature = (issuer ? spend.Coin.IssuerSignature : spend.SpendSignature).ToArray();
        signature[^1] ^= 1;
        return issuer
            ? new CoinSpend(new Coin(spend.Coin.Keyset, spend.Coin.Id, signature), spend.Request, spend.SpendSignature)
            : new CoinSpend(spend.Coin, spend.Request, signature);
    }
}
