using System.Buffers.Binary;
using Wallet.Crypto.SealedFiles;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>
/// Payments in flight in the wallet file (state version 3) and their abandonment by a swap: the value comes back, or the
/// scheme proves the provider deposited it; never both. Every test saves and reloads a real sealed wallet file.
/// </summary>
public sealed class WalletPaymentLifecycleTests : IDisposable
{
    private const string Passphrase = "payment file passphrase";

    private readonly string _directory = Directory.CreateTempSubdirectory("walletpay-").FullName;

    private string WalletPath => Path.Combine(_directory, "wallet.pb1");

    [Fact]
    public async Task InFlightPaymentSurvivesAReloadAndItsReceiptClosesIt()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100);
        var preparedAt = world.Time.GetUtcNow();
        var (request, spends) = await world.PayAsync(wallet, world.UnionA, 100);

        var payment = Assert.Single(wallet.PaymentsInFlight);
        Assert.Equal(request.Id, payment.Id);
        Assert.Equal(WalletPaymentState.InFlight, payment.State);
        Assert.Equal(spends.Select(s => s.Coin.Id), payment.Coins);
        Assert.Equal(preparedAt.ToUnixTimeSeconds(), payment.PreparedAt.ToUnixTimeSeconds());
        Assert.Null(payment.AbandonKey);

        using var loaded = await SaveAndLoadAsync(world, wallet, seed, accountKey);
        Assert.Equal(wallet.ExportState(), loaded.ExportState());
        var reloaded = Assert.Single(loaded.PaymentsInFlight);
        Assert.Equal(request.Encode(), reloaded.Request.Encode());
        Assert.Equal(payment.Coins, reloaded.Coins);
        Assert.Equal(500, loaded.Balance.MinorUnits);

        // Asked again (the app crashed before sending), the reloaded wallet hands out the very same spends and spends nothing more.
        var again = loaded.PreparePayment(request, world.Registry);
        Assert.Equal(PaymentPreparationStatus.Ready, again.Status);
        Assert.Equal(spends.Select(s => s.Encode()), again.Spends.Select(s => s.Encode()));
        Assert.Equal(500, loaded.Balance.MinorUnits);
        Assert.Single(loaded.PaymentsInFlight);

        var (deposit, result) = await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(DepositStatus.Accepted, result.Status);
        var (paid, receipt) = Assert.Single(await world.UnionA.CompleteDepositAsync(deposit, result));
        Assert.True(loaded.AcceptSpendReceipt(receipt, paid, world.Registry));

        Assert.Empty(loaded.PaymentsInFlight);
        Assert.Empty(loaded.Payments);
        Assert.Single(loaded.SpendReceipts);
        using var closed = await SaveAndLoadAsync(world, loaded, seed, accountKey);
        Assert.Empty(closed.Payments);
        Assert.Equal(500, closed.Balance.MinorUnits);
    }

    [Fact]
    public async Task RefusedPaymentAbandonedAcrossACrashComesBackAndTheProviderCanNoLongerDepositIt()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100);

        // The provider verified and queued the payment, then never confirmed it.
        var (request, spends) = await world.PayAsync(wallet, world.UnionA, 500);
        Assert.Equal(100, wallet.Balance.MinorUnits);
        var swap = Ready(wallet.PrepareAbandonPayment(request.Id, Key(), [world.General100.Id]));
        Assert.Equal(spends.Select(s => s.Coin.Id), swap.Inputs.Select(c => c.Id));
        Assert.Equal(5, swap.Outputs.Length);
        Assert.Equal(WalletPaymentState.Abandoning, Assert.Single(wallet.PaymentsInFlight).State);
        Assert.Equal(SwapPreparationStatus.PaymentNotInFlight, wallet.PrepareAbandonPayment(request.Id, Key(), [world.General100.Id]).Status);

        // The process dies after saving the prepared swap: the reloaded wallet still links it to the payment.
        await wallet.SaveAsync(WalletPath, Passphrase, WalletFileTests.Fast);
        wallet.Dispose();
        using var loaded = await LoadAsync(world, seed, accountKey);
        var abandoning = Assert.Single(loaded.PaymentsInFlight);
        Assert.Equal(swap.IdempotencyKey, abandoning.AbandonKey);
        Assert.Equal(swap.Encode(), Assert.Single(loaded.PendingSwaps).Encode());
        Assert.Equal(swap.Inputs.Select(c => c.Id), loaded.ReservedCoins);
        Assert.Equal(100, loaded.Balance.MinorUnits);

        var answer = await world.Client.SwapAsync(loaded.PendingSwaps[0]);
        Assert.Equal(SwapStatus.Swapped, answer.Status);
        Assert.Equal(new PaymentAbandonment(PaymentAbandonmentStatus.Refunded, null), loaded.CompleteAbandonPayment(swap, answer));
        Assert.Equal(600, loaded.Balance.MinorUnits);
        Assert.Empty(loaded.PaymentsInFlight);
        Assert.Equal(WalletPaymentState.Abandoned, Assert.Single(loaded.Payments).State);
        Assert.Empty(loaded.PendingSwaps);
        Assert.Empty(loaded.ReservedCoins);
        Assert.Equal(PaymentAbandonmentStatus.UnknownRequest, loaded.CompleteAbandonPayment(swap, answer).Status);

        // First spend wins: the provider's deposit of the queued payment moves no value.
        await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));

        // A receipt for a refunded payment contradicts the scheme's books: it is not kept.
        var forged = SpendReceipt.Sign(request, world.Time.GetUtcNow(), world.ProviderKey(world.UnionA));
        Assert.False(loaded.AcceptSpendReceipt(forged, request, world.Registry));
        Assert.Empty(loaded.SpendReceipts);
        Assert.Equal(WalletPaymentState.Abandoned, Assert.Single(loaded.Payments).State);

        // The refunded value pays again, even the same request.
        Assert.Equal(PaymentPreparationStatus.Ready, loaded.PreparePayment(request, world.Registry).Status);
        Assert.Equal(WalletPaymentState.InFlight, Assert.Single(loaded.PaymentsInFlight).State);
        using var reloaded = await SaveAndLoadAsync(world, loaded, seed, accountKey);
        Assert.Equal(loaded.ExportState(), reloaded.ExportState());
    }

    [Fact]
    public async Task AbandonedPaymentTheProviderDepositedIsRecordedAsSpentWithItsProof()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100);
        var (request, _) = await world.PayAsync(wallet, world.UnionA, 200);
        var (deposit, deposited) = await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(DepositStatus.Accepted, deposited.Status);

        // The receipt never reached the wallet, which gives up on the payment.
        var swap = Ready(wallet.PrepareAbandonPayment(request.Id, Key(), [world.General100.Id]));
        var answer = await world.Client.SwapAsync(swap);
        Assert.Equal(SwapStatus.DoubleSpend, answer.Status);
        Assert.Equal(new PaymentAbandonment(PaymentAbandonmentStatus.Deposited, null), wallet.CompleteAbandonPayment(swap, answer));

        Assert.Equal(100, wallet.Balance.MinorUnits);
        Assert.Empty(wallet.PendingSwaps);
        Assert.Empty(wallet.ReservedCoins);
        Assert.Empty(wallet.PaymentsInFlight);
        var payment = Assert.Single(wallet.Payments);
        Assert.Equal(WalletPaymentState.Deposited, payment.State);
        Assert.Equal(SwapStatus.DoubleSpend, payment.LastRefusal);
        Assert.Equal(2, payment.Evidence.Count);
        Assert.All(payment.Evidence, p => Assert.True(p.Verify() && p.FirstPayment!.Request.Id == request.Id));
        Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(PaymentPreparationStatus.AlreadyPaid, wallet.PreparePayment(request, world.Registry).Status);
        Assert.Equal(SwapPreparationStatus.PaymentNotInFlight, wallet.PrepareAbandonPayment(request.Id, Key(), [world.General100.Id]).Status);

        using var loaded = await SaveAndLoadAsync(world, wallet, seed, accountKey);
        Assert.Equal(wallet.ExportState(), loaded.ExportState());
        Assert.Equal(payment.Evidence.Select(p => p.Encode()), Assert.Single(loaded.Payments).Evidence.Select(p => p.Encode()));

        // The late receipt agrees: the payment is closed and the receipt stands for it.
        var (paid, receipt) = Assert.Single(await world.UnionA.CompleteDepositAsync(deposit, deposited));
        Assert.True(loaded.AcceptSpendReceipt(receipt, paid, world.Registry));
        Assert.Empty(loaded.Payments);
        Assert.Equal(100, loaded.Balance.MinorUnits);
    }

    [Fact]
    public async Task AbandonSwapRefusedForAnotherReasonLeavesThePaymentInFlightWithTheReason()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100);
        var request = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(500), "dues", TimeSpan.FromHours(1));
        Assert.Equal(PaymentPreparationStatus.Ready, wallet.PreparePayment(request, world.Registry).Status);
        var swap = Ready(wallet.PrepareAbandonPayment(request.Id, Key(), [world.General100.Id]));

        // The paid coin's keyset is revoked before the swap arrives: the scheme refuses it and nothing moves.
        Assert.True(await world.Scheme.RevokeKeysetAsync(world.General500.Id));
        var answer = await world.Client.SwapAsync(swap);
        Assert.Equal(SwapStatus.UnknownKeyset, answer.Status);
        Assert.Equal(new PaymentAbandonment(PaymentAbandonmentStatus.Refused, SwapStatus.UnknownKeyset), wallet.CompleteAbandonPayment(swap, answer));

        var payment = Assert.Single(wallet.PaymentsInFlight);
        Assert.Equal(WalletPaymentState.InFlight, payment.State);
        Assert.Equal(SwapStatus.UnknownKeyset, payment.LastRefusal);
        Assert.Null(payment.AbandonKey);
        Assert.Empty(wallet.PendingSwaps);
        Assert.Equal(100, wallet.Balance.MinorUnits);

        using var loaded = await SaveAndLoadAsync(world, wallet, seed, accountKey);
        Assert.Equal(SwapStatus.UnknownKeyset, Assert.Single(loaded.PaymentsInFlight).LastRefusal);
        Assert.Equal(wallet.ExportState(), loaded.ExportState());
    }

    [Fact]
    public async Task AbandonAnswersThatMoveNothingKeepTheValueAccountedFor()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, _, _) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        var (request, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var swap = Ready(wallet.PrepareAbandonPayment(request.Id, Key(), [world.General100.Id]));

        // The scheme took the swap but cannot sign yet: the swap stays pending and is resent later.
        var later = new SwapResult(SwapStatus.SigningKeyUnavailable, null, null, []);
        Assert.Equal(new PaymentAbandonment(PaymentAbandonmentStatus.RetryLater, SwapStatus.SigningKeyUnavailable), wallet.CompleteAbandonPayment(swap, later));
        Assert.Equal(WalletPaymentState.Abandoning, Assert.Single(wallet.PaymentsInFlight).State);
        Assert.Single(wallet.PendingSwaps);

        // "Swapped" without a signed response, or another swap's response, changes nothing.
        Assert.Equal(PaymentAbandonmentStatus.BadResponse, wallet.CompleteAbandonPayment(swap, new SwapResult(SwapStatus.Swapped, null, null, [])).Status);
        var other = Ready(wallet.PrepareChange(Key(), Amount.FromMinorUnits(100), [world.General100.Id]));
        var otherAnswer = await world.Client.SwapAsync(other);
        Assert.Equal(PaymentAbandonmentStatus.BadResponse, wallet.CompleteAbandonPayment(swap, otherAnswer).Status);
        Assert.Equal(PaymentAbandonmentStatus.UnknownRequest, wallet.CompleteAbandonPayment(other, otherAnswer).Status);
        Assert.Equal(WalletPaymentState.Abandoning, Assert.Single(wallet.PaymentsInFlight).State);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteSwap(other, otherAnswer.Response!));
        Assert.Equal(100, wallet.Balance.MinorUnits);

        // A double spend whose proofs do not show this payment first is not taken as the provider's deposit.
        var unproven = new SwapResult(SwapStatus.DoubleSpend, null, null, []);
        Assert.Equal(new PaymentAbandonment(PaymentAbandonmentStatus.Refused, SwapStatus.DoubleSpend), wallet.CompleteAbandonPayment(swap, unproven));
        Assert.Equal(WalletPaymentState.InFlight, Assert.Single(wallet.PaymentsInFlight).State);

        // Giving up the swap itself also puts the payment back in flight; its coins stay spent.
        var again = Ready(wallet.PrepareAbandonPayment(request.Id, Key(), [world.General100.Id]));
        Assert.True(wallet.AbandonSwap(again.IdempotencyKey));
        Assert.Equal(WalletPaymentState.InFlight, Assert.Single(wallet.PaymentsInFlight).State);
        Assert.Equal(100, wallet.Balance.MinorUnits);

        // The swap finally honoured through the plain swap completion refunds the payment all the same.
        var last = Ready(wallet.PrepareAbandonPayment(request.Id, Key(), [world.General100.Id]));
        var honoured = await world.Client.SwapAsync(last);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteSwap(last, honoured.Response!));
        Assert.Equal(WalletPaymentState.Abandoned, Assert.Single(wallet.Payments).State);
        Assert.Equal(200, wallet.Balance.MinorUnits);
    }

    [Fact]
    public async Task PrepareAbandonPaymentSaysWhyItCannot()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, _, _) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.Training100);
        var (general, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var (training, _) = await world.PayAsync(wallet, world.Trainer, 100);

        Assert.Throws<ArgumentNullException>("payment", () => wallet.PrepareAbandonPayment(null!, Key(), [world.General100.Id]));
        Assert.Throws<ArgumentException>("targetKeysets", () => wallet.PrepareAbandonPayment(general.Id, Key(), []));
        Assert.Equal(SwapPreparationStatus.UnknownPayment, wallet.PrepareAbandonPayment(new PaymentId(new byte[32]), Key(), [world.General100.Id]).Status);
        Assert.Equal(SwapPreparationStatus.NoExactSplit, wallet.PrepareAbandonPayment(general.Id, Key(), [world.General500.Id]).Status);
        Assert.Equal(SwapPreparationStatus.NoTargetForFund, wallet.PrepareAbandonPayment(training.Id, Key(), [world.General100.Id]).Status);
        Assert.Equal(SwapPreparationStatus.Ready, wallet.PrepareAbandonPayment(training.Id, Key(), [world.Training100.Id, world.General100.Id]).Status);
        Assert.Empty(wallet.Coins);

        // Past the paid coin's spend window no swap can take it back; a later epoch's keyset is the target.
        var key = world.Mode == Crypto.BlindRsa.BlindRsaScheme.Rsabssa ? ProtocolKeys.Rsa2048 : ProtocolKeys.PartiallyBlind2048;
        var from = ProtocolWorld.Start.AddDays(50);
        var next = new KeysetDescriptor(2, Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, from, from.AddDays(30), from.AddDays(60), from.AddDays(90), world.Mode, key.PublicKey.ExportSubjectPublicKeyInfo());
        await world.Scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{next.Id}"), KeysetParameters.Of(next), key);
        world.Time.Advance(TimeSpan.FromDays(61));
        await world.SyncAsync(wallet);
        Assert.Equal(SwapPreparationStatus.CoinsNotSwappable, wallet.PrepareAbandonPayment(general.Id, Key(), [next.Id]).Status);
    }

    [Fact]
    public async Task EveryOtherPreparationSaysWhyItCannot()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, _, _) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100);

        Assert.Equal(SwapPreparationStatus.InsufficientCoins, wallet.PrepareChange(Key(), Amount.FromMinorUnits(300), [world.General100.Id]).Status);
        Assert.Equal(SwapPreparationStatus.NoExactSplit, wallet.PrepareChange(Key(), Amount.FromMinorUnits(100), [world.General500.Id]).Status);
        Assert.Equal(SwapPreparationStatus.NoExactSplit, wallet.PrepareRollover(Key(), [world.General500.Id]).Status);
        Assert.Equal(SwapPreparationStatus.NothingToRollOver, wallet.PrepareRollover(Key(), [world.General100.Id]).Status);
        Assert.Equal(RecoveryPreparationStatus.NoExactSplit, wallet.PrepareRecovery(new IdempotencyKey("r1"), world.General100.Id, [world.General500.Id]).Status);
        Assert.Equal(RecoveryPreparationStatus.NoCoinsToRecover, wallet.PrepareRecovery(new IdempotencyKey("r2"), world.General500.Id, [world.General500.Id]).Status);
        Assert.Equal(WithdrawalPreparationStatus.NothingToWithdraw, wallet.PrepareUniformWithdrawal(new IdempotencyKey("u1"), Amount.FromMinorUnits(99)).Status);
        var uniform = wallet.PrepareUniformWithdrawal(new IdempotencyKey("u2"), Amount.FromMinorUnits(600));
        Assert.Equal(WithdrawalPreparationStatus.Ready, uniform.Status);
        Assert.Equal(2, uniform.Request!.Items.Length);
        Assert.Empty(wallet.PendingSwaps);

        var (trainee, _, _) = await WalletFileTests.NewWalletAsync(world, "worker-2", 1000, only: world.Training100);
        Assert.Equal(WithdrawalPreparationStatus.NoWithdrawableKeyset, trainee.PrepareUniformWithdrawal(new IdempotencyKey("u3"), Amount.FromMinorUnits(600)).Status);
    }

    [Fact]
    public async Task RefusedWithdrawalIsAbandonedButOneThatMayBeDebitedIsNot()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 600);
        var tooMuch = wallet.PrepareWithdrawal(new IdempotencyKey("w-big"), [world.General500.Id, world.General500.Id]);
        var refused = await world.Client.WithdrawAsync(tooMuch);
        Assert.Equal(WithdrawalStatus.InsufficientFunds, refused.Status);

        var fits = wallet.PrepareWithdrawal(new IdempotencyKey("w-fits"), [world.General500.Id]);
        var issued = await world.Client.WithdrawAsync(fits);
        Assert.Equal(WithdrawalStatus.Issued, issued.Status);

        // Both are pending in the file until the wallet is told what became of them.
        using var loaded = await SaveAndLoadAsync(world, wallet, seed, accountKey);
        Assert.Equal(2, loaded.PendingWithdrawals.Count);
        Assert.Equal(WithdrawalAbandonment.MayBeDebited, loaded.AbandonWithdrawal(fits.IdempotencyKey, WithdrawalStatus.Issued));
        Assert.Equal(WithdrawalAbandonment.MayBeDebited, loaded.AbandonWithdrawal(fits.IdempotencyKey, WithdrawalStatus.SigningKeyUnavailable));
        Assert.Equal(WithdrawalAbandonment.MayBeDebited, loaded.AbandonWithdrawal(fits.IdempotencyKey, (WithdrawalStatus)99));
        Assert.Equal(WithdrawalAbandonment.Abandoned, loaded.AbandonWithdrawal(tooMuch.IdempotencyKey, refused.Status));
        Assert.Equal(WithdrawalAbandonment.UnknownRequest, loaded.AbandonWithdrawal(tooMuch.IdempotencyKey, refused.Status));
        Assert.Equal(fits.Encode(), Assert.Single(loaded.PendingWithdrawals).Encode());
        Assert.Equal(WithdrawalCompletion.Completed, loaded.CompleteWithdrawal(fits, issued.Response!));
        Assert.Empty(loaded.PendingWithdrawals);
        Assert.Equal(500, loaded.Balance.MinorUnits);

        using var reloaded = await SaveAndLoadAsync(world, loaded, seed, accountKey);
        Assert.Empty(reloaded.PendingWithdrawals);
        Assert.Equal(loaded.ExportState(), reloaded.ExportState());
    }

    [Fact]
    public async Task VersionTwoStateStillLoads()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100);
        var swap = Ready(wallet.PrepareChange(Key(), Amount.FromMinorUnits(300), [world.General100.Id]));
        byte[] state = wallet.ExportState();

        // Version 6 is version 2 followed by the payments, the checkpoint fields (has_checkpoint, a u16 count of
        // evidence), the pending refund claims and the mandates, all empty here.
        Assert.Equal(new byte[11], state[^11..]);
        byte[] v2 = state[..^15];
        v2[0] = 2;
        await SealedFile.WriteAsync(WalletPath, v2, Passphrase, WalletFileTests.Fast);
        using var loaded = await LoadAsync(world, seed, accountKey);

        Assert.Equal(state, loaded.ExportState());
        Assert.Equal(swap.Encode(), Assert.Single(loaded.PendingSwaps).Encode());
        Assert.Empty(loaded.Payments);

        // A version-2 header on a state that carries the payments has trailing bytes.
        byte[] mislabelled = (byte[])state.Clone();
        mislabelled[0] = 2;
        Assert.Equal(WalletFileError.Malformed, Assert.Throws<WalletFileException>(() => Import(world, mislabelled, seed, accountKey)).Error);
    }

    [Fact]
    public async Task APaymentOfCoinsTheWalletDoesNotCountAsSpentIsMalformed()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        var (request, spends) = await world.PayAsync(wallet, world.UnionA, 100);
        byte[] state = wallet.ExportState();
        using (var reference = Import(world, state, seed, accountKey))
        {
            Assert.Equal(state, reference.ExportState());
        }

        // The spent list holds exactly the paid coin: dropping it from there leaves the payment naming an unspent coin.
        var paid = spends.Single().Coin.Id;
        int at = IndexOf(state, paid.Bytes.ToArray());
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(state.AsSpan(at - 4)));
        byte[] crafted = [.. state[..(at - 4)], 0, 0, 0, 0, .. state[(at + 32)..]];
        Assert.Equal(WalletFileError.Malformed, Assert.Throws<WalletFileException>(() => Import(world, crafted, seed, accountKey)).Error);
        Assert.Equal(request.Id, Assert.Single(Import(world, state, seed, accountKey).Payments).Id);
    }

    [Fact]
    public async Task AnyMutationOfAStateWithPaymentsEitherLoadsCanonicallyOrIsATypedError()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100, world.General500);

        // One payment of each kept state: deposited (with proof), abandoning (its swap pending), in flight.
        var (deposited, _) = await world.PayAsync(wallet, world.UnionA, 100);
        await world.DepositAsync(world.UnionA, "d1");
        var proofSwap = Ready(wallet.PrepareAbandonPayment(deposited.Id, Key(), [world.General100.Id]));
        Assert.Equal(PaymentAbandonmentStatus.Deposited, wallet.CompleteAbandonPayment(proofSwap, await world.Client.SwapAsync(proofSwap)).Status);
        var (abandoning, _) = await world.PayAsync(wallet, world.UnionA, 100);
        Ready(wallet.PrepareAbandonPayment(abandoning.Id, Key(), [world.General100.Id]));
        await world.PayAsync(wallet, world.Trainer, 100);
        Assert.Equal(
            [WalletPaymentState.InFlight, WalletPaymentState.Abandoning, WalletPaymentState.Deposited],
            wallet.Payments.Select(p => p.State).Order());
        byte[] state = wallet.ExportState();

        WalletFileTests.AssertEveryByteFlipLoadsExactlyOrIsRefused(world, state, seed, accountKey);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static SwapRequest Ready(SwapPreparation preparation)
    {
        Assert.Equal(SwapPreparationStatus.Ready, preparation.Status);
        return preparation.Request!;
    }

    private static IdempotencyKey Key() => new(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

    // The first occurrence after the coin list: the coin list itself holds each coin id once, before the spent list.
    private static int IndexOf(byte[] state, byte[] id)
    {
        int first = state.AsSpan().IndexOf(id);
        int second = state.AsSpan(first + 1).IndexOf(id);
        Assert.True(first >= 0 && second >= 0);
        return first + 1 + second;
    }

    private static WorkerWallet Import(ProtocolWorld world, byte[] state, WalletSeed seed, Ed25519SigningKey accountKey) =>
        world.Own(WorkerWallet.ImportState(state, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time));

    private async Task<WorkerWallet> SaveAndLoadAsync(ProtocolWorld world, WorkerWallet wallet, WalletSeed seed, Ed25519SigningKey accountKey)
    {
        await wallet.SaveAsync(WalletPath, Passphrase, WalletFileTests.Fast);
        return await LoadAsync(world, seed, accountKey);
    }

    private Task<WorkerWallet> LoadAsync(ProtocolWorld world, WalletSeed seed, Ed25519SigningKey accountKey) =>
        WorkerWallet.LoadAsync(WalletPath, Passphrase, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time);
}
