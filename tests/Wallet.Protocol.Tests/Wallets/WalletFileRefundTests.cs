using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Refunds;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>Pending refund claims in the wallet file (state version 6, docs/PROTOCOL.md 5.17): they survive a crash and complete after it.</summary>
public sealed class WalletFileRefundTests : IDisposable
{
    private const string Passphrase = "refund file passphrase";

    private readonly string _directory = Directory.CreateTempSubdirectory("walletrefund-").FullName;

    private string WalletPath => Path.Combine(_directory, "wallet.pb1");

    [Fact]
    public async Task ClaimAnsweredBeforeTheCrashIsReplayedAndCompletesOnTheReloadedWallet()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 300);
        var refund = await RefundedAsync(world, wallet);
        var claim = wallet.PrepareRefundClaim(refund).Request!;
        await wallet.SaveAsync(WalletPath, Passphrase, WalletFileTests.Fast);

        // The scheme pays the refund and answers; the answer is lost with the process.
        var lost = await world.Client.ClaimRefundAsync(claim);
        Assert.Equal(RefundClaimStatus.Accepted, lost.Status);
        wallet.Dispose();

        using var loaded = await WorkerWallet.LoadAsync(WalletPath, Passphrase, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time);
        var pending = Assert.Single(loaded.PendingRefundClaims);
        Assert.Equal(claim.Encode(), pending.Encode());
        Assert.Empty(loaded.ReservedCoins);
        Assert.Equal(RefundClaimPreparationStatus.AlreadyPending, loaded.PrepareRefundClaim(refund).Status);

        var again = await world.Client.ClaimRefundAsync(pending);
        Assert.Equal(lost.Response!.Encode(), again.Response!.Encode());
        Assert.Equal(SwapCompletion.Completed, loaded.CompleteRefundClaim(pending, again.Response));
        Assert.Equal(300, loaded.Balance.MinorUnits);
        Assert.Empty(loaded.PendingRefundClaims);
    }

    [Fact]
    public async Task VersionFiveStateLoadsWithNoPendingClaims()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 300);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        byte[] state = wallet.ExportState();

        // Version 6 is version 5 followed by the pending refund claims and the mandates (a u32 count each, empty here).
        Assert.Equal(6, state[0]);
        Assert.Equal(new byte[8], state[^8..]);
        byte[] v5 = state[..^8];
        v5[0] = 5;
        using var loaded = Import(world, v5, seed, accountKey);

        Assert.Equal(state, loaded.ExportState());
        Assert.Empty(loaded.PendingRefundClaims);
    }

    [Fact]
    public async Task PendingClaimWithCountersNotYetHandedOutIsMalformed()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 300);
        var claim = wallet.PrepareRefundClaim(await RefundedAsync(world, wallet)).Request!;
        byte[] clean = wallet.ExportState();

        // The last 8 bytes are the claim's only output counter: one the keyset never handed out is refused.
        byte[] crafted = (byte[])clean.Clone();
        crafted[^1] += 1;
        Assert.Single(claim.Outputs.Where(o => o.Keyset == world.General100.Id));
        Assert.Equal(WalletFileError.Malformed, Assert.Throws<WalletFileException>(() => Import(world, crafted, seed, accountKey)).Error);
        using var reference = Import(world, clean, seed, accountKey);
        Assert.Equal(clean, reference.ExportState());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // The wallet withdraws 300 in three coins, pays UnionA 100 with one, and UnionA refunds the whole payment.
    private static async Task<ProviderRefund> RefundedAsync(ProtocolWorld world, WorkerWallet wallet)
    {
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100);
        var (request, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var (deposit, result) = await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(DepositStatus.Accepted, result.Status);
        var (_, receipt) = Assert.Single(await world.UnionA.CompleteDepositAsync(deposit, result));
        Assert.True(wallet.AcceptSpendReceipt(receipt, request, world.Registry));
        return (await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(100))).Refund!;
    }

    private static WorkerWallet Import(ProtocolWorld world, byte[] state, WalletSeed seed, Ed25519SigningKey accountKey) =>
        WorkerWallet.ImportState(state, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time);
}
