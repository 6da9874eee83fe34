using FsCheck;
using FsCheck.Fluent;
using Wallet.Crypto.SealedFiles;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>The sealed wallet file: round trips, typed errors for every damaged file, and key checks.</summary>
public sealed class WalletFileTests : IDisposable
{
    // The cheapest Argon2id cost keeps the hundreds of loads below fast; the format is the same at any cost.
    internal static readonly SealedFileParameters Fast = new(SealedFileParameters.MinMemoryKiB, SealedFileParameters.MinIterations);

    private const string Passphrase = "correct horse battery staple";

    private readonly string _directory = Directory.CreateTempSubdirectory("walletfile-").FullName;

    private string WalletPath => Path.Combine(_directory, "wallet.pb1");

    [Fact]
    public async Task AUsedWalletLoadsWithIdenticalStateAndBehaviour()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await NewWalletAsync(world, "worker-1", 2000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General500);
        var (request, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var (deposit, result) = await world.DepositAsync(world.UnionA, "d1");
        var (_, receipt) = Assert.Single(await world.UnionA.CompleteDepositAsync(deposit, result));
        Assert.True(wallet.AcceptSpendReceipt(receipt, request, world.Registry));
        await world.CreditRestrictedAsync("worker-1", [world.Training100]);
        var pending = wallet.PrepareWithdrawal(new IdempotencyKey("w2"), [world.General100.Id, world.Training100.Id]);

        await wallet.SaveAsync(WalletPath, Passphrase, Fast);
        using var loaded = await WorkerWallet.LoadAsync(WalletPath, Passphrase, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time);

        Assert.Equal(wallet.ExportState(), loaded.ExportState());
        Assert.Equal(wallet.Account, loaded.Account);
        Assert.Equal(wallet.TrustedTreeHead, loaded.TrustedTreeHead);
        Assert.Equal(Describe(wallet), Describe(loaded));
        Assert.Equal(600, loaded.Balance.MinorUnits);
        Assert.Equal(wallet.WithdrawalReceipts.Select(r => r.Encode()), loaded.WithdrawalReceipts.Select(r => r.Encode()));
        Assert.Equal(receipt.Encode(), Assert.Single(loaded.SpendReceipts).Encode());
        Assert.Equal(pending.Encode(), Assert.Single(loaded.PendingWithdrawals).Encode());

        // The crash-mid-withdrawal path: the saved pending request is sent again and completes on the loaded wallet.
        var issued = await world.Scheme.WithdrawAsync(loaded.PendingWithdrawals[0]);
        Assert.Equal(WithdrawalStatus.Issued, issued.Status);
        Assert.Equal(WithdrawalCompletion.Completed, loaded.CompleteWithdrawal(pending, issued.Response!));
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(pending, issued.Response!));
        Assert.Empty(loaded.PendingWithdrawals);
        Assert.Equal(Describe(wallet), Describe(loaded));

        // Same counters: the next withdrawal blinds the same messages; same coins: the same payment picks the same ones.
        var next = world.Time.GetUtcNow();
        Assert.Equal(
            wallet.PrepareWithdrawal(new IdempotencyKey("w3"), [world.General500.Id]).Items[0].BlindedMessage,
            loaded.PrepareWithdrawal(new IdempotencyKey("w3"), [world.General500.Id]).Items[0].BlindedMessage);
        var payment = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(600), "dues", TimeSpan.FromHours(1));
        Assert.Equal(
            wallet.PreparePayment(payment, world.Registry).Spends.Select(s => s.Coin.Id),
            loaded.PreparePayment(payment, world.Registry).Spends.Select(s => s.Coin.Id));
        Assert.Equal(next, world.Time.GetUtcNow());
    }

    [Fact]
    public async Task EveryTruncationAndEveryByteFlipIsATypedError()
    {
        using var world = await DefaultAllocationTests.WorldAsync();

        // One trusted keyset keeps the file (and so the number of damaged copies) small.
        var (wallet, seed, accountKey) = await NewWalletAsync(world, "worker-1", 100, world.General100);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        await wallet.SaveAsync(WalletPath, Passphrase, Fast);
        byte[] good = await File.ReadAllBytesAsync(WalletPath);
        string damaged = Path.Combine(_directory, "damaged.pb1");

        var errors = new HashSet<WalletFileError>();
        for (int length = 0; length < good.Length; length++)
        {
            await File.WriteAllBytesAsync(damaged, good.AsMemory(0, length));
            errors.Add((await Assert.ThrowsAsync<WalletFileException>(() => LoadAsync(world, damaged, seed, accountKey))).Error);
        }

        for (int i = 0; i < good.Length; i++)
        {
            byte[] flipped = (byte[])good.Clone();
            flipped[i] ^= (byte)(1 << (i % 8));
            await File.WriteAllBytesAsync(damaged, flipped);
            errors.Add((await Assert.ThrowsAsync<WalletFileException>(() => LoadAsync(world, damaged, seed, accountKey))).Error);
        }

        Assert.Equal([WalletFileError.NotAWalletFile, WalletFileError.AuthenticationFailed], errors.Order());
        using var intact = await LoadAsync(world, WalletPath, seed, accountKey);
        Assert.Equal(100, intact.Balance.MinorUnits);
    }

    [Fact]
    public async Task TheWrongPassphraseSeedOrKeysAreRefused()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await NewWalletAsync(world, "worker-1", 100);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        await wallet.SaveAsync(WalletPath, Passphrase, Fast);
        using var otherSeed = WalletSeed.Generate();
        using var otherKey = Ed25519SigningKey.Generate();

        var wrong = await Assert.ThrowsAsync<WalletFileException>(() =>
            WorkerWallet.LoadAsync(WalletPath, "wrong passphrase", seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time));
        Assert.Equal(WalletFileError.AuthenticationFailed, wrong.Error);

        // Nothing secret in what an app would log: not the passphrase tried, not the seed.
        Assert.DoesNotContain("wrong passphrase", wrong.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(seed.ToBackupCode(), wrong.ToString(), StringComparison.Ordinal);
        Assert.Equal(WalletFileError.SeedMismatch, (await Assert.ThrowsAsync<WalletFileException>(() => LoadAsync(world, WalletPath, otherSeed, accountKey))).Error);
        Assert.Equal(WalletFileError.KeyMismatch, (await Assert.ThrowsAsync<WalletFileException>(() => LoadAsync(world, WalletPath, seed, otherKey))).Error);
        Assert.Equal(WalletFileError.KeyMismatch, (await Assert.ThrowsAsync<WalletFileException>(() =>
            WorkerWallet.LoadAsync(WalletPath, Passphrase, seed, accountKey, otherKey.PublicKey, world.AccreditationKey.PublicKey, world.Time))).Error);
    }

    [Fact]
    public async Task SealedContentThatIsNotAWalletStateIsMalformed()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await NewWalletAsync(world, "worker-1", 0);
        byte[] state = wallet.ExportState();
        byte[] newer = (byte[])state.Clone();
        newer[0] = WorkerWallet.StateVersion + 1;

        await SealedFile.WriteAsync(WalletPath, state.AsMemory(0, state.Length - 1), Passphrase, Fast);
        Assert.Equal(WalletFileError.Malformed, (await Assert.ThrowsAsync<WalletFileException>(() => LoadAsync(world, WalletPath, seed, accountKey))).Error);
        await SealedFile.WriteAsync(WalletPath, newer, Passphrase, Fast);
        Assert.Equal(WalletFileError.UnsupportedVersion, (await Assert.ThrowsAsync<WalletFileException>(() => LoadAsync(world, WalletPath, seed, accountKey))).Error);
        await SealedFile.WriteAsync(WalletPath, state, Passphrase, Fast);
        using var loaded = await LoadAsync(world, WalletPath, seed, accountKey);
        Assert.Equal(state, loaded.ExportState());
    }

    [Fact]
    public async Task AnyMutationOfTheStateEitherLoadsCanonicallyOrIsATypedError()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await NewWalletAsync(world, "worker-1", 600);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General500);
        byte[] state = wallet.ExportState();

        AssertEveryByteFlipLoadsExactlyOrIsRefused(world, state, seed, accountKey);
    }

    /// <summary>A wallet state with any one byte changed either loads to exactly those bytes or is refused with a WalletFileException.</summary>
    internal static void AssertEveryByteFlipLoadsExactlyOrIsRefused(ProtocolWorld world, byte[] state, WalletSeed seed, Ed25519SigningKey accountKey)
    {
        var mutations = Gen.Choose(0, state.Length - 1).Zip(Gen.Choose(1, 255));
        Prop.ForAll(mutations.ToArbitrary(), m =>
        {
            byte[] mutated = (byte[])state.Clone();
            mutated[m.Item1] ^= (byte)m.Item2;
            try
            {
                using var loaded = WorkerWallet.ImportState(mutated, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time);
                return loaded.ExportState().AsSpan().SequenceEqual(mutated);
            }
            catch (WalletFileException)
            {
                return true;
            }
        }).QuickCheckThrowOnFailure();
    }

    private static IEnumerable<(CoinId Id, ulong Counter, Amount Value)> Describe(WorkerWallet wallet) =>
        wallet.Coins.Select(c => (c.Coin.Id, c.Counter, c.Value));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static async Task<(WorkerWallet Wallet, WalletSeed Seed, Ed25519SigningKey AccountKey)> NewWalletAsync(ProtocolWorld world, string account, long contribution, Protocol.Keysets.KeysetDescriptor? only = null)
    {
        var seed = world.Own(WalletSeed.Generate());
        var accountKey = world.Own(Ed25519SigningKey.Generate());
        var id = new AccountId(account);
        await world.Scheme.RegisterAccountAsync(id, accountKey.PublicKey);
        if (contribution > 0)
        {
            Assert.True((await world.Scheme.ContributeAsync(new IdempotencyKey($"contrib-{account}"), ContributionSource.Employer, id, Amount.FromMinorUnits(contribution))).Succeeded);
        }

        var wallet = world.Own(new WorkerWallet(seed, id, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time));
        if (only is null)
        {
            await world.SyncAsync(wallet);
        }
        else
        {
            var head = await world.Scheme.GetTreeHeadAsync();
            Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveTreeHead(head, null));
            var stored = (await world.Scheme.ListKeysetsAsync()).Single(k => k.Announcement.Descriptor.Id == only.Id);
            Assert.True(wallet.TrustKeyset(stored.Announcement, await world.Scheme.GetInclusionProofAsync(stored.LogIndex, head.TreeSize)));
        }

        return (wallet, seed, accountKey);
    }

    private static Task<WorkerWallet> LoadAsync(ProtocolWorld world, string path, WalletSeed seed, Ed25519SigningKey accountKey) =>
        WorkerWallet.LoadAsync(path, Passphrase, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time);
}
