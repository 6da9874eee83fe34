using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>Change ahead of need (docs/PROTOCOL.md 5.10): large coins are broken at a quiet moment, so a later payment needs no swap.</summary>
public sealed class ChangeAheadTests
{
    [Fact]
    public async Task AWalletOfLargeCoinsGetsSmallCoinsWorthTheReserveAndThenPaysWithoutASwap()
    {
        using var world = await WorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-c1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General500);

        var prepared = wallet.PrepareChangeAhead(Key(), [world.General100.Id, world.General500.Id], Amount.FromMinorUnits(300));

        Assert.Equal(SwapPreparationStatus.Ready, prepared.Status);
        var swap = prepared.Request!;
        Assert.Single(swap.Inputs);
        Assert.Equal(5, swap.Outputs.Length);
        Assert.Single(wallet.ReservedCoins);
        await SwapAndCompleteAsync(world, wallet, swap);

        // The swap moved no value: the wallet holds 1000 as before, now as one 500 and five 100s.
        Assert.Equal(1000, wallet.Balance.MinorUnits);
        Assert.Empty(wallet.ReservedCoins);
        Assert.True((await world.Ledger.VerifyAsync()).IsValid);
        Assert.Equal(SwapPreparationStatus.ChangeNotNeeded, wallet.PrepareChangeAhead(Key(), [world.General100.Id, world.General500.Id], Amount.FromMinorUnits(300)).Status);

        // The later payment finds exact coins: no swap in its sitting.
        var request = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(300), "dues", TimeSpan.FromHours(1));
        var payment = wallet.PreparePayment(request, world.Registry);
        Assert.Equal(PaymentPreparationStatus.Ready, payment.Status);
        Assert.Equal(3, payment.Spends.Count);
        Assert.Empty(wallet.PendingSwaps);
    }

    [Fact]
    public async Task SmallCoinsThatReachTheReserveNeedNoChange()
    {
        using var world = await WorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-c2", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100, world.General500);
        KeysetId[] targets = [world.General100.Id, world.General500.Id];

        Assert.Equal(SwapPreparationStatus.ChangeNotNeeded, wallet.PrepareChangeAhead(Key(), targets, Amount.FromMinorUnits(300)).Status);
        Assert.Equal(SwapPreparationStatus.ChangeNotNeeded, wallet.PrepareChangeAhead(Key(), [world.General100.Id], Amount.FromMinorUnits(800)).Status);
        Assert.Empty(wallet.PendingSwaps);

        // One unit short: the fewest large coins are broken, only for the shortfall; the rest comes back large where it can.
        var swap = wallet.PrepareChangeAhead(Key(), targets, Amount.FromMinorUnits(301)).Request!;
        Assert.Equal(world.General500.Id, Assert.Single(swap.Inputs).Keyset);
        Assert.Equal(5, swap.Outputs.Length);
    }

    [Fact]
    public async Task CoinsOfAnotherFundNeitherCountNorBreak()
    {
        using var world = await WorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-c3", 1000);
        await world.WithdrawAsync(wallet, "w1", world.Training100, world.Training100, world.Training100, world.General500);

        var swap = wallet.PrepareChangeAhead(Key(), [world.General100.Id, world.General500.Id], Amount.FromMinorUnits(300)).Request!;

        Assert.Equal(world.General500.Id, Assert.Single(swap.Inputs).Keyset);
    }

    [Fact]
    public async Task WithoutALargeCoinToBreakTheCoinsAreInsufficient()
    {
        using var world = await WorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-c4", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100);

        Assert.Equal(SwapPreparationStatus.InsufficientCoins, wallet.PrepareChangeAhead(Key(), [world.General100.Id, world.General500.Id], Amount.FromMinorUnits(300)).Status);
        Assert.Empty(wallet.PendingSwaps);
    }

    [Fact]
    public async Task PrepareChangeAheadChecksItsArgumentsAndKeys()
    {
        using var world = await WorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-c5", 1500);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General500, world.General500);
        KeysetId[] targets = [world.General100.Id, world.General500.Id];
        var key = new IdempotencyKey("ahead");
        var reserve = Amount.FromMinorUnits(300);

        Assert.Throws<ArgumentNullException>("key", () => wallet.PrepareChangeAhead(null!, targets, reserve));
        Assert.Throws<ArgumentNullException>("targetKeysets", () => wallet.PrepareChangeAhead(key, null!, reserve));
        Assert.Throws<ArgumentException>("targetKeysets", () => wallet.PrepareChangeAhead(key, [], reserve));
        Assert.Throws<ArgumentException>("targetKeysets", () => wallet.PrepareChangeAhead(key, [new KeysetId(new byte[32])], reserve));
        Assert.Throws<ArgumentException>("targetKeysets", () => wallet.PrepareChangeAhead(key, [world.General100.Id, world.Training100.Id], reserve));
        Assert.Empty(wallet.PendingSwaps);

        // A key is one swap: while it is pending it cannot start another, whichever kind.
        Assert.Equal(SwapPreparationStatus.Ready, wallet.PrepareChangeAhead(key, targets, reserve).Status);
        Assert.Throws<ArgumentException>("key", () => wallet.PrepareChangeAhead(key, targets, Amount.FromMinorUnits(900)));
        Assert.Throws<ArgumentException>("key", () => wallet.PrepareChange(key, Amount.FromMinorUnits(100), targets));
        Assert.Single(wallet.ReservedCoins);

        wallet.Dispose();
        Assert.Throws<ObjectDisposedException>(() => wallet.PrepareChangeAhead(new IdempotencyKey("other"), targets, reserve));
    }

    private static IdempotencyKey Key() => new(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

    private static async Task SwapAndCompleteAsync(ProtocolWorld world, WorkerWallet wallet, SwapRequest swap)
    {
        var result = await world.Client.SwapAsync(swap);
        Assert.Equal(SwapStatus.Swapped, result.Status);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteSwap(swap, result.Response!));
    }

    private static Task<ProtocolWorld> WorldAsync() =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
}
