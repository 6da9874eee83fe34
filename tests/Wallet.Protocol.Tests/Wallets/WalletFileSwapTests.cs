using System.Buffers.Binary;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.SealedFiles;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>Pending swaps and recoveries in the wallet file (state version 2 and later): they survive a crash and complete after it.</summary>
public sealed class WalletFileSwapTests : IDisposable
{
    private const string Passphrase = "swap file passphrase";

    private readonly string _directory = Directory.CreateTempSubdirectory("walletswap-").FullName;

    private string WalletPath => Path.Combine(_directory, "wallet.pb1");

    [Fact]
    public async Task PendingSwapReloadsReservedAndCompletesWhenResent()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100);
        var big = wallet.Coins.Single(c => c.Value.MinorUnits == 500).Coin.Id;
        var swap = wallet.PrepareChange(Key(), Amount.FromMinorUnits(300), [world.General100.Id]).Request!;
        Assert.Equal([big], swap.Inputs.Select(c => c.Id));

        await wallet.SaveAsync(WalletPath, Passphrase, WalletFileTests.Fast);
        using var loaded = await LoadAsync(world, seed, accountKey);

        Assert.Equal(wallet.ExportState(), loaded.ExportState());
        Assert.Equal(swap.Encode(), Assert.Single(loaded.PendingSwaps).Encode());
        Assert.Empty(loaded.PendingRecoveries);
        Assert.Equal([big], loaded.ReservedCoins);

        // The reserved coin is neither paid nor swapped again: only the free coin of 100 counts.
        var payment = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(500), "dues", TimeSpan.FromHours(1));
        Assert.Equal(PaymentPreparationStatus.NoExactCoins, loaded.PreparePayment(payment, world.Registry).Status);
        Assert.Equal(SwapPreparationStatus.InsufficientCoins, loaded.PrepareChange(Key(), Amount.FromMinorUnits(300), [world.General100.Id]).Status);
        Assert.Throws<ArgumentException>(() => loaded.PrepareChange(swap.IdempotencyKey, Amount.FromMinorUnits(100), [world.General100.Id]));

        var result = await world.Client.SwapAsync(loaded.PendingSwaps[0]);
        Assert.Equal(SwapStatus.Swapped, result.Status);
        Assert.Equal(SwapCompletion.Completed, loaded.CompleteSwap(loaded.PendingSwaps[0], result.Response!));

        Assert.Equal(600, loaded.Balance.MinorUnits);
        Assert.Equal(6, loaded.Coins.Count);
        Assert.DoesNotContain(big, loaded.Coins.Select(c => c.Coin.Id));
        Assert.Empty(loaded.ReservedCoins);
        Assert.Empty(loaded.PendingSwaps);
        Assert.Equal(PaymentPreparationStatus.Ready, loaded.PreparePayment(await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(300), "dues", TimeSpan.FromHours(1)), world.Registry).Status);
    }

    [Fact]
    public async Task SwapAnsweredBeforeTheCrashIsReplayedAndCompletesOnTheReloadedWallet()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        var swap = wallet.PrepareChange(Key(), Amount.FromMinorUnits(200), [world.General100.Id]).Request!;
        await wallet.SaveAsync(WalletPath, Passphrase, WalletFileTests.Fast);

        // The scheme swaps and answers; the answer is lost with the process.
        var lost = await world.Client.SwapAsync(swap);
        Assert.Equal(SwapStatus.Swapped, lost.Status);
        wallet.Dispose();

        using var loaded = await LoadAsync(world, seed, accountKey);
        var again = await world.Client.SwapAsync(Assert.Single(loaded.PendingSwaps));
        Assert.Equal(SwapStatus.Swapped, again.Status);
        Assert.Equal(lost.Response!.Encode(), again.Response!.Encode());
        Assert.Equal(SwapCompletion.Completed, loaded.CompleteSwap(loaded.PendingSwaps[0], again.Response!));
        Assert.Equal(500, loaded.Balance.MinorUnits);
        Assert.All(loaded.Coins, c => Assert.Equal(world.General100.Id, c.Coin.Keyset));
        Assert.Equal(5, loaded.Coins.Count);

        // Completed state is saved like any other: nothing pending after the next reload.
        await loaded.SaveAsync(WalletPath, Passphrase, WalletFileTests.Fast);
        using var reloaded = await LoadAsync(world, seed, accountKey);
        Assert.Empty(reloaded.PendingSwaps);
        Assert.Equal(loaded.ExportState(), reloaded.ExportState());
    }

    [Fact]
    public async Task PendingRecoveryReloadsAndCompletesWhenResent()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        var key = world.Mode == BlindRsaScheme.Rsabssa ? ProtocolKeys.Rsa2048 : ProtocolKeys.PartiallyBlind2048;
        var from = ProtocolWorld.Start;
        var replacement = new KeysetDescriptor(2, Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, from, from.AddDays(30), from.AddDays(60), from.AddDays(90), world.Mode, key.PublicKey.ExportSubjectPublicKeyInfo());
        await world.Scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{replacement.Id}"), KeysetParameters.Of(replacement), key);
        Assert.True(await world.Scheme.RevokeKeysetAsync(world.General100.Id));
        await world.SyncAsync(wallet);
        var recovery = wallet.PrepareRecovery(new IdempotencyKey("r1"), world.General100.Id, [replacement.Id]).Request!;

        await wallet.SaveAsync(WalletPath, Passphrase, WalletFileTests.Fast);
        using var loaded = await LoadAsync(world, seed, accountKey);

        Assert.Equal(wallet.ExportState(), loaded.ExportState());
        Assert.Equal(recovery.Encode(), Assert.Single(loaded.PendingRecoveries).Encode());
        Assert.Empty(loaded.PendingSwaps);
        Assert.Equal(recovery.Inputs.Select(i => i.Coin.Id).Order(), loaded.ReservedCoins);
        Assert.Equal(RecoveryPreparationStatus.NoCoinsToRecover, loaded.PrepareRecovery(new IdempotencyKey("r2"), world.General100.Id, [replacement.Id]).Status);

        var result = await world.Client.RecoverAsync(loaded.PendingRecoveries[0]);
        Assert.Equal(SwapStatus.Swapped, result.Status);
        Assert.Equal(SwapCompletion.Completed, loaded.CompleteRecovery(loaded.PendingRecoveries[0], result.Response!));
        Assert.Equal(200, loaded.Balance.MinorUnits);
        Assert.All(loaded.Coins, c => Assert.Equal(replacement.Id, c.Coin.Keyset));
        Assert.Empty(loaded.ReservedCoins);
    }

    [Fact]
    public async Task VersionOneStateStillLoads()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100);
        wallet.PrepareWithdrawal(new IdempotencyKey("w2"), [world.General100.Id]);
        byte[] state = wallet.ExportState();

        // Version 6 is version 1 followed by three lists (pending swaps, pending recoveries, payments), the
        // checkpoint fields (has_checkpoint, a u16 count of evidence), the pending refund claims and the mandates (a u32
        // count each), all empty here.
        Assert.Equal(new byte[19], state[^19..]);
        byte[] v1 = state[..^23];
        v1[0] = 1;
        await SealedFile.WriteAsync(WalletPath, v1, Passphrase, WalletFileTests.Fast);
        using var loaded = await LoadAsync(world, seed, accountKey);

        Assert.Equal(state, loaded.ExportState());
        Assert.Equal(600, loaded.Balance.MinorUnits);
        Assert.Single(loaded.PendingWithdrawals);
        Assert.Empty(loaded.PendingSwaps);
        Assert.Empty(loaded.ReservedCoins);

        // A version-1 header on a state that carries the version-2 lists has trailing bytes.
        byte[] mislabelled = (byte[])state.Clone();
        mislabelled[0] = 1;
        Assert.Equal(WalletFileError.Malformed, Assert.Throws<WalletFileException>(() => Import(world, mislabelled, seed, accountKey)).Error);
    }

    [Fact]
    public async Task PendingSwapOfACoinTheWalletLacksIsMalformed()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (owner, _, _) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(owner, "w1", world.General500);
        var swap = owner.PrepareChange(Key(), Amount.FromMinorUnits(300), [world.General100.Id]).Request!;

        // The other wallet has handed out more General100 counters than the swap's outputs use: only the input is wrong.
        var (other, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-2", 1000);
        await world.WithdrawAsync(other, "w2", [.. Enumerable.Repeat(world.General100, 6)]);
        byte[] crafted = WithPendingSwap(other.ExportState()[..^23], swap, [0, 1, 2, 3, 4]);

        Assert.Equal(WalletFileError.Malformed, Assert.Throws<WalletFileException>(() => Import(world, crafted, seed, accountKey)).Error);
    }

    [Fact]
    public async Task PendingSwapWithCountersNotYetHandedOutIsMalformed()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100);
        var swap = wallet.PrepareChange(Key(), Amount.FromMinorUnits(300), [world.General100.Id]).Request!;
        byte[] clean = wallet.ExportState();
        using (var reference = Import(world, clean, seed, accountKey))
        {
            Assert.Equal(clean, reference.ExportState());
        }

        // The swap's outputs took General100 counters 1..5; claiming 6 names a counter the wallet never used.
        byte[] prefix = clean[..^(4 + Framed(swap) + (8 * swap.Outputs.Length) + 4 + 4 + 3 + 4 + 4)];
        byte[] crafted = WithPendingSwap(prefix, swap, [1, 2, 3, 4, 6]);
        Assert.Equal(WalletFileError.Malformed, Assert.Throws<WalletFileException>(() => Import(world, crafted, seed, accountKey)).Error);

        Assert.Equal(clean, WithPendingSwap(prefix, swap, [1, 2, 3, 4, 5]));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IdempotencyKey Key() => new(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

    private static int Framed(SwapRequest swap) => 4 + swap.Encode().Length;

    // Appends one pending swap, no pending recovery, no payment, no checkpoint, no evidence, no pending refund claim and
    // no mandate to a version-6 state cut before its pending lists.
    private static byte[] WithPendingSwap(byte[] prefix, SwapRequest swap, ulong[] counters)
    {
        byte[] request = swap.Encode();
        var tail = new byte[4 + 4 + request.Length + (8 * counters.Length) + 4 + 4 + 3 + 4 + 4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, 1);
        BinaryPrimitives.WriteUInt32BigEndian(tail.AsSpan(4), (uint)request.Length);
        request.CopyTo(tail, 8);
        for (int i = 0; i < counters.Length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(tail.AsSpan(8 + request.Length + (8 * i)), counters[i]);
        }

        return [.. prefix, .. tail];
    }

    private static WorkerWallet Import(ProtocolWorld world, byte[] state, WalletSeed seed, Ed25519SigningKey accountKey) =>
        WorkerWallet.ImportState(state, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time);

    private Task<WorkerWallet> LoadAsync(ProtocolWorld world, WalletSeed seed, Ed25519SigningKey accountKey) =>
        WorkerWallet.LoadAsync(WalletPath, Passphrase, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time);
}
