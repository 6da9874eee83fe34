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

        Assert.Equal(PaymentVerification.UnknownRequest, await world.UnionA.VerifyPaymentAsync(request, spends, world.AllKeysets));
        Assert.Equal(PaymentVerification.UnknownRequest, await world.UnionB.VerifyPaymentAsync(request, spends, world.AllKeysets));
    }

    [Fact]
    public async Task ADepositBatchListsPaymentsByIdAndCoinsByIdNotInTheOrderTheyWerePaid()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-order", [.. Enumerable.Repeat(world.General100, 12)]);
        var paid = new List<Protocol.Payments.PaymentRequest>();
        for (int i = 0; i < 6; i++)
        {
            paid.Add((await world.PayAsync(wallet, world.UnionA, 200)).Request);
        }

        var (deposit, result) = await world.DepositAsync(world.UnionA, "d-order");

        // Six payments arrive in one order; the batch (and so everything the scheme stores) follows their hashes.
        var listed = deposit.Spends.Select(s => s.Request.Id).Distinct().ToList();
        Assert.Equal(paid.Select(r => r.Id).Order(), listed);
        Assert.NotEqual(paid.Select(r => r.Id), listed);
        foreach (var payment in deposit.Spends.GroupBy(s => s.Request.Id))
        {
            Assert.Equal(payment.Select(s => s.Coin.Id).Order(), payment.Select(s => s.Coin.Id));
        }

        Assert.Equal(DepositStatus.Accepted, result.Status);
        Assert.Equal(listed, result.Payments.Select(p => p.Payment));
    }

    [Fact]
    public async Task TheSchemeAnswersInCanonicalOrderWhateverOrderTheBatchArrivesIn()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-shuffle", [.. Enumerable.Repeat(world.General100, 8)]);
        for (int i = 0; i < 4; i++)
        {
            await world.PayAsync(wallet, world.UnionA, 200);
        }

        // A provider that lists its batch backwards (or in arrival order) gets the same canonical answer.
        var canonical = (await world.UnionA.CreateDepositAsync(new IdempotencyKey("d-shuffle")))!;
        var reversed = new DepositRequest(canonical.Provider, canonical.IdempotencyKey, [.. canonical.Spends.Reverse()]);
        var result = await world.Scheme.DepositAsync(reversed);

        Assert.Equal(DepositStatus.Accepted, result.Status);
        var sent = reversed.Spends.Select(s => s.Request.Id).Distinct().ToList();
        Assert.Equal(sent.Order(), result.Payments.Select(p => p.Payment));
        Assert.NotEqual(sent, result.Payments.Select(p => p.Payment));
        Assert.True(result.Receipt!.Verify(reversed, world.Scheme.PublicKey));
    }

    [Fact]
    public async Task OfferedCoinsAreRefusedForTheFirstFailingCheckAndTheRequestStaysOpen()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-p2", world.General100, world.General100);
        var provider = world.UnionA;
        var request = await provider.CreatePaymentRequestAsync(Amount.FromMinorUnits(200), "dues", TimeSpan.FromHours(1));
        var spends = wallet.PreparePayment(request, world.Registry).Spends;
        var other = await provider.CreatePaymentRequestAsync(Amount.FromMinorUnits(200), "dues", TimeSpan.FromHours(1));

        Assert.Equal(PaymentVerification.WrongRequest, await provider.VerifyPaymentAsync(other, spends, world.AllKeysets));
        Assert.Equal(PaymentVerification.UnknownKeyset, await provider.VerifyPaymentAsync(request, spends, [world.General500]));
        Assert.Equal(PaymentVerification.AmountMismatch, await provider.VerifyPaymentAsync(request, [spends[0]], world.AllKeysets));
        Assert.Equal(PaymentVerification.AmountMismatch, await provider.VerifyPaymentAsync(request, [spends[0], spends[0]], world.AllKeysets));
        Assert.Equal(PaymentVerification.BadSpendSignature, await provider.VerifyPaymentAsync(request, [spends[0], Forged(spends[1], issuer: false)], world.AllKeysets));
        Assert.Equal(PaymentVerification.BadIssuerSignature, await provider.VerifyPaymentAsync(request, [Forged(spends[0], issuer: true), spends[1]], world.AllKeysets));
        Assert.Equal(PaymentVerification.Accepted, await provider.VerifyPaymentAsync(request, spends, world.AllKeysets));
    }

    [Fact]
    public async Task ExpiredRequestIsRefused()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-p3", world.General100);
        var request = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromMinutes(10));
        var spends = wallet.PreparePayment(request, world.Registry).Spends;
        world.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        Assert.Equal(PaymentVerification.Expired, await world.UnionA.VerifyPaymentAsync(request, spends, world.AllKeysets));
    }

    [Fact]
    public async Task SpendReceiptsComeOnlyFromAVerifiedDepositReceipt()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-p4", world.General100, world.General100);
        var (first, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var (second, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var deposit = (await world.UnionA.CreateDepositAsync(new IdempotencyKey("d1")))!;
        Assert.Equal(2, deposit.Spends.Length);

        var result = await world.Client.DepositAsync(deposit);
        var stranger = new DepositRequest(deposit.Provider, new IdempotencyKey("d2"), deposit.Spends);
        Assert.Empty(await world.UnionA.CompleteDepositAsync(stranger, result));
        Assert.Equal(deposit.Encode(), (await world.UnionA.CreateDepositAsync(new IdempotencyKey("d1")))!.Encode());

        var receipts = await world.UnionA.CompleteDepositAsync(deposit, result);
        Assert.Equal(2, receipts.Count);
        Assert.All(receipts, r => Assert.True(r.Receipt.Verify(r.Request, world.UnionA.Record.ReceiptKey)));
        Assert.Equal(new[] { first.Hash(), second.Hash() }.Select(Convert.ToHexString).Order(), receipts.Select(r => Convert.ToHexString(r.Request.Hash())).Order());
        Assert.Null(await world.UnionA.CreateDepositAsync(new IdempotencyKey("d3")));
        Assert.Empty(await world.UnionA.CompleteDepositAsync(deposit, result));
    }

    [Fact]
    public async Task PaymentStatusFollowsTheRequestFromOpenToPaid()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-p5", world.General100);
        var open = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        Assert.Equal(ProviderPaymentStatus.Open, (await world.UnionA.GetPaymentStatusAsync(open.Id)).Status);
        Assert.Equal(ProviderPaymentStatus.Unknown, (await world.UnionB.GetPaymentStatusAsync(open.Id)).Status);

        var (request, _) = await world.PayAsync(wallet, world.UnionA, 100);
        Assert.Equal(ProviderPaymentStatus.Verified, (await world.UnionA.GetPaymentStatusAsync(request.Id)).Status);
        var (deposit, result) = await world.DepositAsync(world.UnionA, "d-status");
        await world.UnionA.CompleteDepositAsync(deposit, result);

        var paid = await world.UnionA.GetPaymentStatusAsync(request.Id);
        Assert.Equal(ProviderPaymentStatus.Paid, paid.Status);
        Assert.True(paid.Receipt!.Verify(request, world.UnionA.Record.ReceiptKey));
    }

    [Fact]
    public async Task MixedOutcomePaysTheCreditedPaymentsAndDropsTheDoubleSpentOne()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-p6", world.General100, world.General100, world.General100);
        var (first, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var (bad, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var (third, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var (deposit, answer) = await world.DepositAsync(world.UnionA, "d-mixed");
        Assert.Equal(3, deposit.Spends.Length);
        var proof = new Wallet.Storage.Testing.MessageSamples(6).Proof();

        // The scheme's signed receipt for the batch, with a per-payment outcome list written by hand.
        var mixed = answer with
        {
            Payments =
            [
                new(first.Id, DepositPaymentStatus.Accepted, null, []),
                new(bad.Id, DepositPaymentStatus.DoubleSpend, null, [proof]),
                new(third.Id, DepositPaymentStatus.AlreadyDeposited, null, []),
            ],
        };
        var receipts = await world.UnionA.CompleteDepositAsync(deposit, mixed);

        Assert.Equal([first.Id, third.Id], receipts.Select(r => r.Request.Id));
        Assert.All(receipts, r => Assert.True(r.Receipt.Verify(r.Request, world.UnionA.Record.ReceiptKey)));
        var dropped = await world.UnionA.GetPaymentStatusAsync(bad.Id);
        Assert.Equal(ProviderPaymentStatus.Rejected, dropped.Status);
        Assert.Equal(DepositPaymentStatus.DoubleSpend, dropped.Rejection!.Status);
        Assert.Equal(proof.Encode(), Assert.Single(dropped.Rejection.DoubleSpendProofs).Encode());
        Assert.Null(await world.UnionA.CreateDepositAsync(new IdempotencyKey("d-next")));
        Assert.Empty(await world.UnionA.CompleteDepositAsync(deposit, mixed));
    }

    [Fact]
    public async Task RejectedPaymentLeavesTheQueueWithItsReasonAndTheOthersGoInTheNextBatch()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-p7", world.General100, world.General100);
        var (rejected, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var (waiting, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var deposit = (await world.UnionA.CreateDepositAsync(new IdempotencyKey("d-1")))!;

        // Nothing credited, so no receipt is needed; the payment without an outcome stays queued.
        var answer = new DepositResult(DepositStatus.Rejected, null, [], [])
        {
            Payments = [new(rejected.Id, DepositPaymentStatus.Rejected, DepositRejectionReason.OutsideDepositWindow, [])],
        };
        Assert.Empty(await world.UnionA.CompleteDepositAsync(deposit, answer));

        var state = await world.UnionA.GetPaymentStatusAsync(rejected.Id);
        Assert.Equal(ProviderPaymentStatus.Rejected, state.Status);
        Assert.Equal(DepositRejectionReason.OutsideDepositWindow, state.Rejection!.Reason);
        var next = (await world.UnionA.CreateDepositAsync(new IdempotencyKey("d-2")))!;
        Assert.Equal(new IdempotencyKey("d-2"), next.IdempotencyKey);
        Assert.Equal(waiting.Id, Assert.Single(next.Spends).Request.Id);
        Assert.Single(await world.UnionA.CompleteDepositAsync(next, await world.Client.DepositAsync(next)));
    }

    [Fact]
    public async Task UnverifiedAnswerKeepsTheDepositInFlightAndKeyReuseStartsAFreshBatch()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-p8", world.General100);
        var (request, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var deposit = (await world.UnionA.CreateDepositAsync(new IdempotencyKey("d-1")))!;

        // Credited without a receipt: not believed; the same bytes go out again under the same key.
        var unsigned = new DepositResult(DepositStatus.Accepted, null, [], []) { Payments = [new(request.Id, DepositPaymentStatus.Accepted, null, [])] };
        Assert.Empty(await world.UnionA.CompleteDepositAsync(deposit, unsigned));
        Assert.Equal(deposit.Encode(), (await world.UnionA.CreateDepositAsync(new IdempotencyKey("ignored")))!.Encode());
        Assert.Equal(ProviderPaymentStatus.Verified, (await world.UnionA.GetPaymentStatusAsync(request.Id)).Status);

        // The key names another batch at the scheme: these bytes can never pass, so the next batch takes a fresh key.
        Assert.Empty(await world.UnionA.CompleteDepositAsync(deposit, new DepositResult(DepositStatus.IdempotencyKeyReused, null, [], [])));
        var fresh = (await world.UnionA.CreateDepositAsync(new IdempotencyKey("d-2")))!;
        Assert.Equal(new IdempotencyKey("d-2"), fresh.IdempotencyKey);
        Assert.Equal(deposit.Spends.Select(s => s.Encode()), fresh.Spends.Select(s => s.Encode()));
        Assert.Single(await world.UnionA.CompleteDepositAsync(fresh, await world.Client.DepositAsync(fresh)));
    }

    [Fact]
    public async Task ProviderRejectsAnotherReceiptKeyOrNegativeValidityAndToStringShowsNoKey()
    {
        using var world = await WorldAsync();
        using var stranger = Ed25519SigningKey.Generate();
        Assert.Throws<ArgumentException>("receiptKey", () => new AccreditedProvider(world.UnionA.Record, stranger, world.Scheme.PublicKey, world.Time));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("validity", () => world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(1), "x", TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("amount", () => world.UnionA.CreatePaymentRequestAsync(Amount.Zero, "x", TimeSpan.FromSeconds(1)));

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
