using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Log;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Recovery;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>Swaps (exact change, rollover) and recovery after revocation, end to end; each store backend runs the whole suite.</summary>
public abstract class SwapContract
{
    protected abstract Task<ProtocolWorld> CreateWorldAsync();

    [Fact]
    public async Task PaymentThatNeedsChangeIsPaidAfterASwap()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);

        var request = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(300), "dues", TimeSpan.FromHours(1));
        var refused = wallet.PreparePayment(request, world.Registry);
        Assert.Equal(PaymentPreparationStatus.NoExactCoins, refused.Status);
        Assert.True(refused.ChangeAvailable);

        var swap = wallet.PrepareChange(Key(), Amount.FromMinorUnits(300), [world.General100.Id, world.General500.Id]).Request!;
        Assert.Single(swap.Inputs);
        Assert.Equal(5, swap.Outputs.Length);
        await SwapAndCompleteAsync(world, wallet, swap);

        Assert.Equal(500, wallet.Balance.MinorUnits);
        Assert.Empty(wallet.ReservedCoins);
        await world.PayAsync(wallet, world.UnionA, 300);
        Assert.Equal(DepositStatus.Accepted, (await world.DepositAsync(world.UnionA, "d1")).Result.Status);
        Assert.Equal(300, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(500, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        Assert.Equal(200, wallet.Balance.MinorUnits);
    }

    [Fact]
    public async Task PaymentBeyondTheBalanceIsNotOfferedChange()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);

        var request = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(600), "dues", TimeSpan.FromHours(1));
        var refused = wallet.PreparePayment(request, world.Registry);
        Assert.Equal(PaymentPreparationStatus.NoExactCoins, refused.Status);
        Assert.False(refused.ChangeAvailable);
        Assert.Equal(SwapPreparationStatus.InsufficientCoins, wallet.PrepareChange(Key(), Amount.FromMinorUnits(600), [world.General100.Id]).Status);
    }

    [Fact]
    public async Task SwapOfADepositedCoinReturnsAVerifiableProofAndMovesNothing()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        await world.PayAsync(wallet, world.UnionA, 500);
        Assert.Equal(DepositStatus.Accepted, (await world.DepositAsync(world.UnionA, "d1")).Result.Status);

        // A copy of the wallet (restored from the seed, not told the coin is spent) tries to swap it.
        var copy = await RestoreAsync(world, seed, markSpent: false, world.General500);
        var swap = copy.PrepareChange(Key(), Amount.FromMinorUnits(100), [world.General100.Id]).Request!;
        int logSize = await LogSizeAsync(world);
        var result = await world.Client.SwapAsync(swap);

        Assert.Equal(SwapStatus.DoubleSpend, result.Status);
        var proof = Assert.Single(result.Proofs);
        Assert.True(proof.Verify());
        Assert.True(SwapDoubleSpendProof.Decode(proof.Encode()).Verify());
        Assert.NotNull(proof.FirstPayment);
        Assert.Equal(logSize, await LogSizeAsync(world));
        Assert.All(await world.Scheme.FindBlindSignaturesAsync([.. swap.Outputs.Select(o => o.BlindedMessage)]), Assert.Null);
        Assert.Equal(0, (await world.Ledger.GetKeysetAsync(world.General100.Id)).Issued.MinorUnits);
    }

    [Fact]
    public async Task DepositOfASwappedCoinIsRefusedAndASecondSwapGetsAProof()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        var original = wallet.Coins.Single();
        await SwapAndCompleteAsync(world, wallet, wallet.PrepareChange(Key(), Amount.FromMinorUnits(100), [world.General100.Id]).Request!);

        var request = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(500), "dues", TimeSpan.FromHours(1));
        var forced = ProtocolWorld.ForceSpends(seed, [original], request);
        Assert.Equal(Wallet.Protocol.Providers.PaymentVerification.Accepted, await world.UnionA.VerifyPaymentAsync(request, forced, world.AllKeysets));
        var deposit = await world.Scheme.DepositAsync(new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("d1"), forced));
        Assert.Equal(DepositStatus.Rejected, deposit.Status);
        Assert.Equal(DepositRejectionReason.AlreadySwapped, Assert.Single(deposit.Rejections).Reason);
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));

        var copy = await RestoreAsync(world, seed, markSpent: false, world.General500);
        var second = await world.Client.SwapAsync(copy.PrepareChange(Key(), Amount.FromMinorUnits(100), [world.General100.Id]).Request!);
        Assert.Equal(SwapStatus.DoubleSpend, second.Status);
        var proof = Assert.Single(second.Proofs);
        Assert.NotNull(proof.FirstSwap);
        Assert.True(proof.Verify());
    }

    [Fact]
    public async Task DepositMixingASwappedCoinWithAFreshOneMovesNothing()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100);
        var swapped = wallet.Coins.Single(c => c.Value.MinorUnits == 500);
        var fresh = wallet.Coins.Single(c => c.Value.MinorUnits == 100);
        await SwapAndCompleteAsync(world, wallet, wallet.PrepareChange(Key(), Amount.FromMinorUnits(500), [world.General100.Id]).Request!);
        int logSize = await LogSizeAsync(world);

        var request = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(600), "dues", TimeSpan.FromHours(1));
        var deposit = await world.Scheme.DepositAsync(new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("d1"), ProtocolWorld.ForceSpends(seed, [swapped, fresh], request)));

        Assert.Equal(DepositStatus.Rejected, deposit.Status);
        var payment = Assert.Single(deposit.Payments);
        Assert.Equal((request.Id, DepositPaymentStatus.Rejected, DepositRejectionReason.AlreadySwapped), (payment.Payment, payment.Status, payment.Reason));
        Assert.Equal([(0, DepositRejectionReason.AlreadySwapped), (1, DepositRejectionReason.AlreadySwapped)], deposit.Rejections.Select(r => (r.Index, r.Reason)));
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(logSize, await LogSizeAsync(world));
        Assert.False(Assert.Single(await world.Scheme.AreSpentAsync([fresh.Coin.Id])));
    }

    [Fact]
    public async Task ReplayedSwapReturnsTheStoredResponseAndMovesValueOnce()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        var swap = wallet.PrepareChange(Key(), Amount.FromMinorUnits(200), [world.General100.Id]).Request!;

        var first = await world.Client.SwapAsync(swap);
        int logSize = await LogSizeAsync(world);
        var again = await world.Client.SwapAsync(SwapRequest.Decode(swap.Encode()));

        Assert.Equal(SwapStatus.Swapped, again.Status);
        Assert.Equal(first.Response!.Encode(), again.Response!.Encode());
        Assert.Equal(logSize, await LogSizeAsync(world));
        Assert.Equal(500, (await world.Ledger.GetKeysetAsync(world.General100.Id)).Issued.MinorUnits);
        Assert.Equal(500, (await world.Ledger.GetKeysetAsync(world.General500.Id)).SwappedIn.MinorUnits);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteSwap(swap, again.Response));
        Assert.Equal(SwapCompletion.UnknownRequest, wallet.CompleteSwap(swap, again.Response));
        Assert.Equal(500, wallet.Balance.MinorUnits);
    }

    [Fact]
    public async Task ReusedSwapKeyWithOtherBytesIsRefused()
    {
        using var world = await CreateWorldAsync();
        var (first, _) = await world.NewWalletAsync("worker-1", 1000);
        var (second, _) = await world.NewWalletAsync("worker-2", 1000);
        await world.WithdrawAsync(first, "w1", world.General500);
        await world.WithdrawAsync(second, "w1", world.General500);
        var key = Key();
        await SwapAndCompleteAsync(world, first, first.PrepareChange(key, Amount.FromMinorUnits(100), [world.General100.Id]).Request!);

        var clash = second.PrepareChange(key, Amount.FromMinorUnits(100), [world.General100.Id]).Request!;
        Assert.Equal(SwapStatus.IdempotencyKeyReused, (await world.Client.SwapAsync(clash)).Status);
        Assert.True(second.AbandonSwap(key));
        Assert.Empty(second.ReservedCoins);
    }

    [Fact]
    public async Task LostSwapResponseIsRecoveredByRetryingAndTheCoinsStayReservedMeanwhile()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100);
        var swap = wallet.PrepareChange(Key(), Amount.FromMinorUnits(300), [world.General100.Id]).Request!;
        Assert.Equal(500, Assert.Single(wallet.Coins, c => c.Coin.Id == Assert.Single(wallet.ReservedCoins)).Value.MinorUnits);

        _ = await world.Client.SwapAsync(swap); // the response is lost on the way back

        // The reserved coin is not offered for a payment while the swap is unresolved.
        var request = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(500), "dues", TimeSpan.FromHours(1));
        Assert.Equal(PaymentPreparationStatus.NoExactCoins, wallet.PreparePayment(request, world.Registry).Status);

        var retried = await world.Client.SwapAsync(swap);
        Assert.Equal(SwapStatus.Swapped, retried.Status);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteSwap(swap, retried.Response!));
        Assert.Equal(600, wallet.Balance.MinorUnits);
        Assert.Equal(6, wallet.Coins.Count);
    }

    [Fact]
    public async Task TamperedSwapResponseIsNotAccepted()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        var swap = wallet.PrepareChange(Key(), Amount.FromMinorUnits(100), [world.General100.Id]).Request!;
        var response = (await world.Client.SwapAsync(swap)).Response!;
        byte[] bytes = response.Encode();
        bytes[1 + 32 + 7] ^= 1; // the low byte of the total

        Assert.Equal(SwapCompletion.BadResponse, wallet.CompleteSwap(swap, SwapResponse.Decode(bytes)));
        Assert.Single(wallet.ReservedCoins);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteSwap(swap, response));
    }

    [Fact]
    public async Task RestoreFromSeedFindsChangeCoins()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        await SwapAndCompleteAsync(world, wallet, wallet.PrepareChange(Key(), Amount.FromMinorUnits(300), [world.General100.Id]).Request!);

        var restored = await RestoreAsync(world, seed, markSpent: true, world.General500, world.General100);

        Assert.Equal(500, restored.Balance.MinorUnits);
        Assert.Equal(5, restored.Coins.Count);
        Assert.All(restored.Coins, c => Assert.Equal(world.General100.Id, c.Coin.Keyset));
        Assert.Equal(wallet.Coins.Select(c => c.Coin.Id), restored.Coins.Select(c => c.Coin.Id));
    }

    [Fact]
    public async Task RolloverMovesCoinsOfAnEarlierEpochIntoTheCurrentKeyset()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100, world.Training100);
        var next100 = await AnnounceAsync(world, 2, 100, KeysetDescriptor.GeneralFund, days: 30);
        var nextTraining = await AnnounceAsync(world, 2, 100, "training", days: 30);
        world.Time.Advance(TimeSpan.FromDays(31));
        await world.SyncAsync(wallet);

        var rollover = wallet.PrepareRollover(Key(), [next100.Id, nextTraining.Id]).Request!;
        Assert.Equal(3, rollover.Inputs.Length);
        await SwapAndCompleteAsync(world, wallet, rollover);

        Assert.Equal(700, wallet.Balance.MinorUnits);
        Assert.Equal(6, wallet.Coins.Count(c => c.Coin.Keyset == next100.Id));
        Assert.Single(wallet.Coins, c => c.Coin.Keyset == nextTraining.Id);
        Assert.Equal(SwapPreparationStatus.NothingToRollOver, wallet.PrepareRollover(Key(), [next100.Id, nextTraining.Id]).Status);
        Assert.True(Auditor(world).Audit(await EntriesAsync(world), [await world.Scheme.GetTreeHeadAsync()]).IsClean);
    }

    [Fact]
    public async Task SwapIntoAnotherFundIsRefused()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.Training100);
        var training = wallet.Coins.Single();
        var outputs = wallet.PrepareWithdrawal(new IdempotencyKey("outputs"), [world.General100.Id]).Items;

        var swap = Sign(seed, training, outputs);
        var result = await world.Client.SwapAsync(swap);

        Assert.Equal(SwapStatus.FundMismatch, result.Status);
        Assert.False(Assert.Single(await world.Scheme.AreSpentAsync([training.Coin.Id])));
        Assert.Throws<ArgumentException>("targetKeysets", () => wallet.PrepareChange(Key(), Amount.FromMinorUnits(100), [world.General100.Id, world.Training100.Id]));
    }

    [Fact]
    public async Task ValueMismatchIsRefused()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        var coin = wallet.Coins.Single();

        var less = Sign(seed, coin, wallet.PrepareWithdrawal(new IdempotencyKey("o1"), [world.General100.Id]).Items);
        var more = Sign(seed, coin, wallet.PrepareWithdrawal(new IdempotencyKey("o2"), [world.General500.Id, world.General100.Id]).Items);

        Assert.Equal(SwapStatus.ValueMismatch, (await world.Client.SwapAsync(less)).Status);
        Assert.Equal(SwapStatus.ValueMismatch, (await world.Client.SwapAsync(more)).Status);
        Assert.False(Assert.Single(await world.Scheme.AreSpentAsync([coin.Coin.Id])));
    }

    [Fact]
    public async Task RedirectedSwapOutputsFailTheSpendSignature()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        var (thief, _) = await world.NewWalletAsync("thief", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        var swap = wallet.PrepareChange(Key(), Amount.FromMinorUnits(500), [world.General500.Id]).Request!;
        var stolen = thief.PrepareWithdrawal(new IdempotencyKey("t"), [world.General500.Id]).Items[0].BlindedMessage;

        byte[] bytes = swap.Encode();
        byte[] original = swap.Outputs[0].BlindedMessage.ToArray();
        int at = bytes.AsSpan().IndexOf(original);
        stolen.AsSpan().CopyTo(bytes.AsSpan(at));
        var result = await world.Client.SwapAsync(SwapRequest.Decode(bytes));

        Assert.Equal(SwapStatus.BadSpendSignature, result.Status);
        Assert.Equal(0, result.Index);
        Assert.Equal(SwapStatus.Swapped, (await world.Client.SwapAsync(swap)).Status);
    }

    [Fact]
    public async Task NeverSpentCoinsOfARevokedKeysetAreRecoveredByTheirWithdrawer()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100);
        await world.PayAsync(wallet, world.UnionA, 100);
        Assert.Equal(DepositStatus.Accepted, (await world.DepositAsync(world.UnionA, "d1")).Result.Status);
        var replacement = await AnnounceAsync(world, 2, 100, KeysetDescriptor.GeneralFund, days: 0);
        Assert.True(await world.Scheme.RevokeKeysetAsync(world.General100.Id));

        // The worker's new device, restored from the seed, first claims every coin, the spent one included.
        var device = await RestoreAsync(world, seed, markSpent: false, world.General100);
        var revokedCoin = device.Coins.First();
        var withSpent = device.PrepareRecovery(new IdempotencyKey("r1"), world.General100.Id, [replacement.Id]).Request!;
        Assert.Equal(3, withSpent.Inputs.Length);
        Assert.Equal(SwapStatus.DoubleSpend, (await world.Client.RecoverAsync(withSpent)).Status);
        Assert.True(device.AbandonSwap(new IdempotencyKey("r1")));
        var ids = device.Coins.Select(c => c.Coin.Id).ToList();
        device.MarkSpent(ids, await world.Scheme.AreSpentAsync(ids));

        var recovery = device.PrepareRecovery(new IdempotencyKey("r2"), world.General100.Id, [replacement.Id]).Request!;
        Assert.Equal(2, recovery.Inputs.Length);
        var result = await world.Client.RecoverAsync(recovery);
        Assert.Equal(SwapStatus.Swapped, result.Status);
        Assert.Equal(SwapCompletion.Completed, device.CompleteRecovery(recovery, result.Response!));
        Assert.Equal(200, device.Balance.MinorUnits);
        Assert.All(device.Coins, c => Assert.Equal(replacement.Id, c.Coin.Keyset));
        Assert.Equal(result.Response!.Encode(), (await world.Client.RecoverAsync(recovery)).Response!.Encode());
        Assert.All(await world.Scheme.AreSpentAsync([.. recovery.Inputs.Select(i => i.Coin.Id)]), Assert.True);
        Assert.Equal(700, await world.Scheme.GetWorkerBalanceAsync(wallet.Account)); // recovery re-issues coins; the account is not touched

        // The revoked keyset no longer takes part in swaps.
        var swapOfRevoked = Sign(seed, revokedCoin, [recovery.Outputs[0]]);
        Assert.Equal(SwapStatus.UnknownKeyset, (await world.Client.SwapAsync(swapOfRevoked)).Status);
    }

    [Fact]
    public async Task RecoveryByAnotherAccountOrOfALiveKeysetIsRefused()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General500);
        var replacement = await AnnounceAsync(world, 2, 100, KeysetDescriptor.GeneralFund, days: 0);
        await world.SyncAsync(wallet);

        var live = wallet.PrepareRecovery(new IdempotencyKey("r0"), world.General500.Id, [world.General500.Id]).Request!;
        Assert.Equal(SwapStatus.KeysetNotRevoked, (await world.Client.RecoverAsync(live)).Status);
        Assert.True(wallet.AbandonSwap(new IdempotencyKey("r0")));

        Assert.True(await world.Scheme.RevokeKeysetAsync(world.General100.Id));
        var honest = wallet.PrepareRecovery(new IdempotencyKey("r1"), world.General100.Id, [replacement.Id]).Request!;

        // Someone who learnt the disclosed blinding (or never withdrew the coin) cannot claim it for another account.
        using var thiefKey = Ed25519SigningKey.Generate();
        var thief = new AccountId("thief");
        await world.Scheme.RegisterAccountAsync(thief, thiefKey.PublicKey);
        var stolen = RecoveryRequest.Sign(thief, new IdempotencyKey("r1"), honest.Inputs, honest.Outputs, world.Time.GetUtcNow(), thiefKey);
        var refused = await world.Client.RecoverAsync(stolen);
        Assert.Equal(SwapStatus.NotWithdrawnByAccount, refused.Status);
        Assert.Equal(0, refused.Index);

        // A wrong blinding factor recomputes a blinded message nobody withdrew.
        var item = honest.Inputs[0];
        byte[] r = item.BlindingFactor.ToArray();
        r[^1] ^= 4;
        using var accountKey = Ed25519SigningKey.Generate();
        var forged = RecoveryRequest.Sign(thief, new IdempotencyKey("r2"), [new RecoveryItem(item.Coin, item.Salt, r)], honest.Outputs, world.Time.GetUtcNow(), thiefKey);
        Assert.Equal(SwapStatus.NotWithdrawnByAccount, (await world.Client.RecoverAsync(forged)).Status);
        Assert.Equal(SwapStatus.BadSignature, (await world.Client.RecoverAsync(RecoveryRequest.Sign(thief, new IdempotencyKey("r3"), honest.Inputs, honest.Outputs, world.Time.GetUtcNow(), accountKey))).Status);

        Assert.Equal(SwapStatus.Swapped, (await world.Client.RecoverAsync(honest)).Status);
    }

    [Fact]
    public async Task AuditorCountsSwapsAndRecoveriesAndCatchesATamperedSwapEntry()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100);
        await SwapAndCompleteAsync(world, wallet, wallet.PrepareChange(Key(), Amount.FromMinorUnits(300), [world.General100.Id]).Request!);
        await world.PayAsync(wallet, world.UnionA, 300);
        Assert.Equal(DepositStatus.Accepted, (await world.DepositAsync(world.UnionA, "d1")).Result.Status);
        var replacement = await AnnounceAsync(world, 2, 100, KeysetDescriptor.GeneralFund, days: 0);
        Assert.True(await world.Scheme.RevokeKeysetAsync(world.General100.Id));
        await world.SyncAsync(wallet);
        var recovery = wallet.PrepareRecovery(new IdempotencyKey("r1"), world.General100.Id, [replacement.Id]).Request!;
        Assert.Equal(SwapStatus.Swapped, (await world.Client.RecoverAsync(recovery)).Status);

        var entries = await EntriesAsync(world);
        var report = Auditor(world).Audit(entries, [await world.Scheme.GetTreeHeadAsync()]);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
        var general100 = report.Keysets.Single(k => k.Keyset == world.General100.Id);
        Assert.Equal(6, general100.Issued);
        Assert.Equal(6, general100.Spent);
        Assert.Equal(1, report.Keysets.Single(k => k.Keyset == world.General500.Id).Spent);
        Assert.Equal(3, report.Keysets.Single(k => k.Keyset == replacement.Id).Issued);
        var totals = await world.Ledger.GetKeysetAsync(world.General100.Id);
        Assert.Equal(totals.Issued.MinorUnits, general100.Issued * 100);
        Assert.Equal(totals.Deposited.MinorUnits + totals.SwappedIn.MinorUnits, general100.Spent * 100);

        // The scheme rewrites its swap entry to issue one more coin than it spent.
        int index = entries.FindIndex(e => e.Kind == LogEntryKind.CoinsSwapped && !e.Swap!.IsRecovery);
        var swap = entries[index].Swap!;
        var inflated = new SwapRecord(swap.SwappedAt, false, swap.Inputs, [.. swap.Outputs.Select(o => (o.Keyset, o.Count + 1))]);
        var tampered = entries.ToList();
        tampered[index] = LogEntry.ForSwap(inflated);
        var caught = Auditor(world).Audit(tampered, [await world.Scheme.GetTreeHeadAsync()]);
        Assert.Contains(caught.Violations, v => v.Kind == AuditViolationKind.SwapValueMismatch && v.Position == (ulong)index);
        Assert.Contains(caught.Violations, v => v.Kind == AuditViolationKind.TreeHeadMismatch);
    }

    protected static IdempotencyKey Key() => new(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

    private static async Task SwapAndCompleteAsync(ProtocolWorld world, WorkerWallet wallet, SwapRequest swap)
    {
        var result = await world.Client.SwapAsync(swap);
        Assert.Equal(SwapStatus.Swapped, result.Status);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteSwap(swap, result.Response!));
    }

    private static SwapRequest Sign(WalletSeed seed, WalletCoin coin, IReadOnlyList<WithdrawalItem> outputs)
    {
        using var secrets = seed.DeriveCoin(coin.Coin.Keyset.Bytes, coin.Counter);
        return SwapRequest.Sign(Key(), [coin.Coin], outputs, [secrets.SigningKey]);
    }

    // A wallet restored from the seed alone; without markSpent it has not yet asked which coins are spent.
    private static async Task<WorkerWallet> RestoreAsync(ProtocolWorld world, WalletSeed seed, bool markSpent, params KeysetDescriptor[] keysets)
    {
        var (restored, _) = await world.NewWalletAsync("worker-1", 0, seed);
        foreach (var keyset in keysets.Distinct())
        {
            restored.CompleteRestore(keyset.Id, 0, await world.Scheme.FindBlindSignaturesAsync(restored.PrepareRestore(keyset.Id, 0, 16)));
        }

        if (markSpent)
        {
            var ids = restored.Coins.Select(c => c.Coin.Id).ToList();
            restored.MarkSpent(ids, await world.Scheme.AreSpentAsync(ids));
        }

        return restored;
    }

    private static async Task<KeysetDescriptor> AnnounceAsync(ProtocolWorld world, uint epoch, long denomination, string fund, int days)
    {
        var key = world.Mode == BlindRsaScheme.Rsabssa ? ProtocolKeys.Rsa2048 : ProtocolKeys.PartiallyBlind2048;
        var from = ProtocolWorld.Start.AddDays(days);
        var descriptor = new KeysetDescriptor(epoch, Amount.FromMinorUnits(denomination), fund, from, from.AddDays(30), from.AddDays(60), from.AddDays(90), world.Mode, key.PublicKey.ExportSubjectPublicKeyInfo());
        await world.Scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{descriptor.Id}"), KeysetParameters.Of(descriptor), key);
        return descriptor;
    }

    private static async Task<int> LogSizeAsync(ProtocolWorld world) => (await EntriesAsync(world)).Count;

    private static async Task<List<LogEntry>> EntriesAsync(ProtocolWorld world)
    {
        var entries = new List<LogEntry>();
        for (ulong i = 0; await world.Scheme.GetLogEntryAsync(i) is { } entry; i++)
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static LogAuditor Auditor(ProtocolWorld world) => new(world.Scheme.PublicKey, world.AccreditationKey.PublicKey);
}
