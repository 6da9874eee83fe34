using Wallet.Protocol.Tests.Allocation;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>Withdrawal preparation, wallet side: what a refused request leaves behind.</summary>
public sealed class WorkerWalletWithdrawalTests
{
    [Fact]
    public async Task AWithdrawalRefusedForAnUntrustedKeysetAllocatesNoCounter()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, _, _) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000, only: world.General100);
        byte[] before = wallet.ExportState();

        // The untrusted keyset comes after a trusted one: nothing is allocated for the trusted one either.
        Assert.Throws<ArgumentException>("keysets", () => wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id, world.General500.Id]));
        Assert.Equal(before, wallet.ExportState());

        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w2"), [world.General100.Id]);
        Assert.Equal(wallet.PrepareRestore(world.General100.Id, 0, 1)[0], request.Items[0].BlindedMessage);
    }
}
