using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Log;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>Every PB/1 flow end to end, happy and unhappy paths; each store backend runs the whole suite.</summary>
public abstract class EndToEndContract
{
    protected abstract Task<ProtocolWorld> CreateWorldAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa);

    [Fact]
    public async Task WithdrawSpendDepositMovesValueAndEveryReceiptVerifies()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);

        var withdrawal = await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General500);
        Assert.Equal(700, wallet.Balance.MinorUnits);
        Assert.Equal(300, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        Assert.Single(wallet.WithdrawalReceipts);
        Assert.Equal(700, withdrawal.Receipt.Total.MinorUnits);

        var (request, spends) = await world.PayAsync(wallet, world.UnionA, 600);
        Assert.Equal(2, spends.Count);
        Assert.Equal(100, wallet.Balance.MinorUnits);

        var (deposit, result) = await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(DepositStatus.Accepted, result.Status);
        Assert.True(result.Receipt!.Verify(deposit, world.Scheme.PublicKey));
        Assert.Equal(600, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));

        var receipts = await world.UnionA.CompleteDepositAsync(deposit, result);
        var (paidRequest, spendReceipt) = Assert.Single(receipts);
        Assert.True(wallet.AcceptSpendReceipt(spendReceipt, request, world.Registry));
        Assert.Equal(request.Hash(), paidRequest.Hash());

        var entry = await world.Client.GetLogEntryAsync(result.Receipt.LogIndex);
        Assert.Equal(LogEntryKind.CoinsSpent, entry!.Kind);
        Assert.Equal(result.Receipt.LeafHash, entry.LeafHash());
        Assert.True((await world.Ledger.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task WithdrawalOverTheBalanceMovesNothing()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 150);

        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id, world.General100.Id]);
        var result = await world.Client.WithdrawAsync(request);

        Assert.Equal(WithdrawalStatus.InsufficientFunds, result.Status);
        Assert.Null(result.Response);
        Assert.Equal(150, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
    }

    [Fact]
    public async Task ExpiredKeysetRefusesWithdrawalAndLateDeposit()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 500);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        await world.PayAsync(wallet, world.UnionA, 100);

        world.Time.Advance(TimeSpan.FromDays(31));
        var late = await world.Client.WithdrawAsync(wallet.PrepareWithdrawal(new IdempotencyKey("w2"), [world.General100.Id]));
        Assert.Equal(WithdrawalStatus.KeysetNotWithdrawable, late.Status);

        world.Time.Advance(TimeSpan.FromDays(60));
        var (_, result) = await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(DepositStatus.Rejected, result.Status);
        Assert.Equal(DepositRejectionReason.OutsideDepositWindow, Assert.Single(result.Rejections).Reason);
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(400, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
    }

    [Fact]
    public async Task RevokedKeysetRefusesWithdrawalAndDeposit()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 500);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        await world.PayAsync(wallet, world.UnionA, 100);

        Assert.True(await world.Scheme.RevokeKeysetAsync(world.General100.Id));

        var refused = await world.Client.WithdrawAsync(wallet.PrepareWithdrawal(new IdempotencyKey("w2"), [world.General100.Id]));
        Assert.Equal(WithdrawalStatus.UnknownKeyset, refused.Status);
        var (_, result) = await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(DepositRejectionReason.UnknownKeyset, Assert.Single(result.Rejections).Reason);
    }

    [Fact]
    public async Task ProviderNoLongerAccreditedIsRefusedByWalletAndScheme()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 500);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        world.Time.Advance(TimeSpan.FromDays(11));

        var request = await world.UnionB.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        Assert.Equal(PaymentPreparationStatus.ProviderNotAccredited, wallet.PreparePayment(request, world.Registry).Status);

        var forced = ProtocolWorld.ForceSpends(seed, wallet.Coins, request);
        var result = await world.Client.DepositAsync(new DepositRequest(world.UnionB.Record.Id, new IdempotencyKey("d1"), forced));
        Assert.Equal(DepositRejectionReason.ProviderNotAccredited, Assert.Single(result.Rejections).Reason);
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionB.Record.Id));
    }

    [Fact]
    public async Task TheSchemeJudgesThePaymentDayAndRefusesOnlyADayStillAhead()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 500);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        var coins = wallet.Coins;
        var now = world.Time.GetUtcNow();
        var key = world.ProviderKey(world.UnionA);

        // The request keeps only its day, which began before the keyset's withdraw_from (09:00): the day overlaps the window.
        var laterToday = PaymentRequest.Sign(world.UnionA.Record.Id, Amount.FromMinorUnits(100), "dues", new byte[32], now.AddHours(2), now.AddHours(3), key);
        Assert.Equal(PaymentRequest.DayOf(now), laterToday.IssuedOn);
        Assert.True(laterToday.IssuedOn < world.General100.WithdrawFrom);
        var tomorrow = PaymentRequest.Sign(world.UnionA.Record.Id, Amount.FromMinorUnits(100), "fee", Enumerable.Repeat((byte)1, 32).ToArray(), now.AddDays(1), now.AddDays(1).AddHours(1), key);
        var deposit = new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("d1"), [.. ProtocolWorld.ForceSpends(seed, [coins[0]], laterToday), .. ProtocolWorld.ForceSpends(seed, [coins[1]], tomorrow)]);
        var result = await world.Client.DepositAsync(deposit);

        var outcomes = result.Payments.ToDictionary(p => p.Payment);
        Assert.Equal(DepositPaymentStatus.Accepted, outcomes[laterToday.Id].Status);
        Assert.Equal(DepositPaymentStatus.Rejected, outcomes[tomorrow.Id].Status);
        Assert.Equal(DepositRejectionReason.ProviderNotAccredited, outcomes[tomorrow.Id].Reason);
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    [Fact]
    public async Task WalletAndProviderRefuseARequestWithoutItsDetails()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 500);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        var offer = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var bare = offer.WithoutDetails();

        // The copy a spend carries to the scheme: the worker could not see the purpose, the provider not the expiry.
        Assert.Null(bare.Details);
        Assert.Equal(PaymentPreparationStatus.NoDetails, wallet.PreparePayment(bare, world.Registry).Status);
        var spends = ProtocolWorld.ForceSpends(seed, wallet.Coins, offer);
        Assert.Equal(PaymentVerification.NoDetails, await world.UnionA.VerifyPaymentAsync(bare, spends, world.AllKeysets));

        var decoded = PaymentRequest.DecodeOffer(offer.EncodeOffer());
        var prepared = wallet.PreparePayment(decoded, world.Registry);
        Assert.Equal(PaymentPreparationStatus.Ready, prepared.Status);
        Assert.Equal(PaymentVerification.Accepted, await world.UnionA.VerifyPaymentAsync(decoded, prepared.Spends, world.AllKeysets));
    }

    [Fact]
    public async Task RestrictedFundIsRefusedForProviderOfAnotherCategory()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 500);
        await world.WithdrawAsync(wallet, "w1", world.Training100);

        var request = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        Assert.Equal(PaymentPreparationStatus.NoExactCoins, wallet.PreparePayment(request, world.Registry).Status);

        var forced = ProtocolWorld.ForceSpends(seed, wallet.Coins, request);
        Assert.Equal(PaymentVerification.FundNotAllowed, await world.UnionA.VerifyPaymentAsync(request, forced, world.AllKeysets));
        var result = await world.Client.DepositAsync(new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("d1"), forced));
        Assert.Equal(DepositRejectionReason.FundNotAllowed, Assert.Single(result.Rejections).Reason);

        var training = await world.Trainer.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "course", TimeSpan.FromHours(1));
        var prepared = wallet.PreparePayment(training, world.Registry);
        Assert.Equal(PaymentPreparationStatus.Ready, prepared.Status);
        Assert.Equal(PaymentVerification.Accepted, await world.Trainer.VerifyPaymentAsync(training, prepared.Spends, world.AllKeysets));
        Assert.Equal(DepositStatus.Accepted, (await world.DepositAsync(world.Trainer, "d2")).Result.Status);
    }

    [Fact]
    public async Task CoinRedirectedToAnotherProviderIsRefused()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 500);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        var (_, spends) = await world.PayAsync(wallet, world.UnionA, 100);

        // A thief who intercepted the spends deposits them as another provider...
        var asB = await world.Client.DepositAsync(new DepositRequest(world.UnionB.Record.Id, new IdempotencyKey("steal-1"), spends));
        Assert.Equal(DepositRejectionReason.WrongProvider, Assert.Single(asB.Rejections).Reason);

        // ...or re-binds the coin to a request of its own, keeping the coin's signature.
        var own = await world.UnionB.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var redirected = new CoinSpend(spends[0].Coin, own, spends[0].SpendSignature);
        Assert.Equal(PaymentVerification.BadSpendSignature, await world.UnionB.VerifyPaymentAsync(own, [redirected], world.AllKeysets));
        var rebound = await world.Client.DepositAsync(new DepositRequest(world.UnionB.Record.Id, new IdempotencyKey("steal-2"), [redirected]));
        Assert.Equal(DepositRejectionReason.BadSpendSignature, Assert.Single(rebound.Rejections).Reason);

        Assert.Equal(DepositStatus.Accepted, (await world.DepositAsync(world.UnionA, "d1")).Result.Status);
    }

    [Fact]
    public async Task DoubleSpendAcrossTwoProvidersYieldsVerifiableProofAndMovesNothing()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 500);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        var coins = wallet.Coins;
        await world.PayAsync(wallet, world.UnionA, 100);

        var requestB = await world.UnionB.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var cloned = ProtocolWorld.ForceSpends(seed, coins, requestB);
        Assert.Equal(PaymentVerification.Accepted, await world.UnionB.VerifyPaymentAsync(requestB, cloned, world.AllKeysets));

        Assert.Equal(DepositStatus.Accepted, (await world.DepositAsync(world.UnionA, "a1")).Result.Status);
        var (_, second) = await world.DepositAsync(world.UnionB, "b1");

        Assert.Equal(DepositStatus.DoubleSpend, second.Status);
        var proof = Assert.Single(second.DoubleSpendProofs);
        Assert.True(proof.Verify());
        Assert.True(DoubleSpendProof.Decode(proof.Encode()).Verify());
        Assert.Equal(coins[0].Coin.Id, proof.Coin);
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionB.Record.Id));
    }

    [Fact]
    public async Task ReplayedDepositReturnsTheSameReceiptAndCreditsOnce()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 500);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        await world.PayAsync(wallet, world.UnionA, 200);

        var (deposit, first) = await world.DepositAsync(world.UnionA, "d1");
        var again = await world.Client.DepositAsync(deposit);
        var otherKey = await world.Client.DepositAsync(new DepositRequest(deposit.Provider, new IdempotencyKey("d2"), deposit.Spends));

        Assert.Equal(DepositStatus.Accepted, again.Status);
        Assert.Equal(first.Receipt!.Encode(), again.Receipt!.Encode());
        Assert.Equal(DepositStatus.AlreadyDeposited, otherKey.Status);
        Assert.Empty(otherKey.DoubleSpendProofs);
        Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    [Fact]
    public async Task LostWithdrawalResponseIsReplayedOnRetryAndDebitedOnce()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 500);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id, world.General100.Id]);

        var lost = await world.Client.WithdrawAsync(request);
        var retried = await world.Client.WithdrawAsync(WithdrawalRequest.Decode(request.Encode()));

        Assert.Equal(WithdrawalStatus.Issued, retried.Status);
        Assert.Equal(lost.Response!.Encode(), retried.Response!.Encode());
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, retried.Response));
        Assert.Equal(300, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        Assert.Equal(200, wallet.Balance.MinorUnits);
    }

    [Fact]
    public async Task RestoreFromSeedAfterLosingTheDeviceMidWithdrawalRecoversUnspentCoins()
    {
        using var world = await CreateWorldAsync();
        var (lostDevice, seed) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(lostDevice, "w1", world.General100, world.General100);
        await world.PayAsync(lostDevice, world.UnionA, 100);
        Assert.Equal(DepositStatus.Accepted, (await world.DepositAsync(world.UnionA, "d1")).Result.Status);
        var inFlight = lostDevice.PrepareWithdrawal(new IdempotencyKey("w2"), [world.General100.Id, world.General100.Id, world.General100.Id]);
        Assert.Equal(WithdrawalStatus.Issued, (await world.Client.WithdrawAsync(inFlight)).Status);

        // The device is gone before it saw the response; a new one has only the seed.
        var (restored, _) = await world.NewWalletAsync("worker-1", 0, seed);
        var messages = restored.PrepareRestore(world.General100.Id, 0, 16);
        var found = await world.Client.FindBlindSignaturesAsync(messages);
        Assert.Equal(5, restored.CompleteRestore(world.General100.Id, 0, found));
        var ids = restored.Coins.Select(c => c.Coin.Id).ToList();
        restored.MarkSpent(ids, await world.Client.AreSpentAsync(ids));

        Assert.Equal(400, restored.Balance.MinorUnits);
        var next = restored.PrepareWithdrawal(new IdempotencyKey("w3"), [world.General100.Id]);
        // The counter moved past every recovered coin: a fresh withdrawal never re-uses a coin key.
        Assert.DoesNotContain(next.Items[0].BlindedMessage, messages.Take(5));
        Assert.Equal(messages[5], next.Items[0].BlindedMessage);
    }

    [Fact]
    public async Task TamperedReceiptsAreRejected()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 500);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id]);
        var response = (await world.Client.WithdrawAsync(request)).Response!;

        byte[] bytes = response.Encode();
        // Response version, receipt version, account, idempotency key, request hash, then the i64 total (low byte last).
        int totalOffset = 2 + 1 + wallet.Account.Value.Length + 1 + "w1".Length + 32 + 7;
        bytes[totalOffset] = 200;
        var tampered = WithdrawalResponse.Decode(bytes);
        Assert.Equal(200, tampered.Receipt.Total.MinorUnits);
        Assert.Equal(WithdrawalCompletion.BadReceipt, wallet.CompleteWithdrawal(request, tampered));
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, response));

        var (paymentRequest, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var (deposit, result) = await world.DepositAsync(world.UnionA, "d1");
        byte[] receiptBytes = result.Receipt!.Encode();
        receiptBytes[^70] ^= 1;
        Assert.False(DepositReceipt.TryDecode(receiptBytes, out var badReceipt) && badReceipt.Verify(deposit, world.Scheme.PublicKey));

        var (_, spendReceipt) = Assert.Single(await world.UnionA.CompleteDepositAsync(deposit, result));
        byte[] spendBytes = spendReceipt.Encode();
        spendBytes[^1] ^= 0x80;
        Assert.False(wallet.AcceptSpendReceipt(SpendReceipt.Decode(spendBytes), paymentRequest, world.Registry));
        var otherRequest = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "other", TimeSpan.FromHours(1));
        Assert.False(wallet.AcceptSpendReceipt(spendReceipt, otherRequest, world.Registry));
        Assert.True(wallet.AcceptSpendReceipt(spendReceipt, paymentRequest, world.Registry));
    }

    [Fact]
    public async Task ForkedTreeHeadIsDetected()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 0);
        var trusted = wallet.TrustedTreeHead!;

        // The scheme shows another audience a log of the same size with a different last entry.
        var forkStore = new InMemoryMerkleLogStore();
        var fork = new MerkleLog(forkStore);
        for (ulong i = 0; i < trusted.TreeSize - 1; i++)
        {
            await fork.AppendAsync((await world.Client.GetLogEntryAsync(i))!.Encode());
        }

        await fork.AppendAsync("a different entry"u8.ToArray());
        var forked = await fork.SignTreeHeadAsync(world.SchemeKey, world.Time);

        Assert.Equal(trusted.TreeSize, forked.TreeSize);
        Assert.Equal(TreeHeadStatus.Fork, wallet.ObserveTreeHead(forked, null));
        Assert.Equal(2, wallet.ForkEvidence.Count);

        using var stranger = Ed25519SigningKey.Generate();
        Assert.Equal(TreeHeadStatus.BadSignature, wallet.ObserveTreeHead(SignedTreeHead.Sign(1, MerkleTree.EmptyRoot, stranger, world.Time), null));
    }

    [Fact]
    public async Task KeysetNotInTheLogIsNotTrusted()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 0);

        // A tagging keyset: validly signed by the scheme, but never logged, handed to one worker alone.
        var tagged = world.Descriptor(1, 100, KeysetDescriptor.GeneralFund);
        var tagging = new KeysetDescriptor(7, tagged.Denomination, tagged.Fund, tagged.WithdrawFrom, tagged.WithdrawUntil, tagged.SpendUntil, tagged.DepositUntil, tagged.Mode, tagged.PublicKey);
        var announcement = KeysetAnnouncement.Sign(tagging, world.SchemeKey);
        var someProof = await world.Client.GetInclusionProofAsync(0, wallet.TrustedTreeHead!.TreeSize);

        Assert.False(wallet.TrustKeyset(announcement, someProof));
        Assert.Throws<ArgumentException>(() => wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [tagging.Id]));
    }

    [Fact]
    public async Task UniformWithdrawalTakesTheWholeBalanceInTheCanonicalSplit()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1_750);

        var request = wallet.PrepareUniformWithdrawal(new IdempotencyKey("uniform-1"), Amount.FromMinorUnits(await world.Scheme.GetWorkerBalanceAsync(wallet.Account))).Request!;
        var result = await world.Client.WithdrawAsync(request);

        Assert.Equal(WithdrawalStatus.Issued, result.Status);
        Assert.Equal([world.General500.Id, world.General500.Id, world.General500.Id, world.General100.Id, world.General100.Id], request.Items.Select(i => i.Keyset));
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, result.Response!));
        Assert.Equal(50, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        Assert.Equal(WithdrawalPreparationStatus.NothingToWithdraw, wallet.PrepareUniformWithdrawal(new IdempotencyKey("uniform-2"), Amount.FromMinorUnits(50)).Status);
    }

    [Fact]
    public async Task ConcurrentDepositsOfOneCoinCreditExactlyOneProvider()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 500);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        var coins = wallet.Coins;
        var requestA = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var requestB = await world.UnionB.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var depositA = new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a"), ProtocolWorld.ForceSpends(seed, coins, requestA));
        var depositB = new DepositRequest(world.UnionB.Record.Id, new IdempotencyKey("b"), ProtocolWorld.ForceSpends(seed, coins, requestB));

        var results = await Task.WhenAll(Task.Run(() => world.Client.DepositAsync(depositA)), Task.Run(() => world.Client.DepositAsync(depositB)));

        Assert.Single(results, r => r.Status == DepositStatus.Accepted);
        var loser = Assert.Single(results, r => r.Status == DepositStatus.DoubleSpend);
        Assert.True(Assert.Single(loser.DoubleSpendProofs).Verify());
        long a = await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id);
        long b = await world.Scheme.GetProviderBalanceAsync(world.UnionB.Record.Id);
        Assert.Equal(100, a + b);
    }
}
