using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Swaps;

public sealed class WalletSwapArgumentTests
{
    [Fact]
    public async Task PrepareChangeChecksItsArgumentsInOrder()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General500);
        var key = new IdempotencyKey("k");

        Assert.Throws<ArgumentNullException>("key", () => wallet.PrepareChange(null!, Amount.FromMinorUnits(100), [world.General100.Id]));
        Assert.Throws<ArgumentNullException>("targetKeysets", () => wallet.PrepareChange(key, Amount.FromMinorUnits(100), null!));
        Assert.Throws<ArgumentOutOfRangeException>("amount", () => wallet.PrepareChange(key, Amount.Zero, [world.General100.Id]));
        Assert.Throws<ArgumentException>("targetKeysets", () => wallet.PrepareChange(key, Amount.FromMinorUnits(100), []));
        Assert.Throws<ArgumentException>("targetKeysets", () => wallet.PrepareChange(key, Amount.FromMinorUnits(100), [new KeysetId(new byte[32])]));

        Assert.Equal(SwapPreparationStatus.Ready, wallet.PrepareChange(key, Amount.FromMinorUnits(100), [world.General100.Id]).Status);
        Assert.Throws<ArgumentException>("key", () => wallet.PrepareChange(key, Amount.FromMinorUnits(100), [world.General100.Id]));
        Assert.Single(wallet.ReservedCoins);

        wallet.Dispose();
        Assert.Throws<ObjectDisposedException>(() => wallet.PrepareChange(new IdempotencyKey("k2"), Amount.FromMinorUnits(100), [world.General100.Id]));
    }

    [Fact]
    public async Task RecoveryIntoAnotherFundIsRefusedByTheWallet()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.Training100);

        Assert.Throws<ArgumentException>("replacementKeysets", () => wallet.PrepareRecovery(new IdempotencyKey("r"), world.Training100.Id, [world.General100.Id]));
        Assert.Equal(RecoveryPreparationStatus.NoCoinsToRecover, wallet.PrepareRecovery(new IdempotencyKey("r"), world.General100.Id, [world.General100.Id]).Status);
        Assert.Empty(wallet.ReservedCoins);
    }
}
