using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Keysets;

/// <summary>The scheme signs through <see cref="IKeysetSigner"/> (docs/PROTOCOL.md 8.2): batches per keyset, and a signer that cannot sign now.</summary>
public sealed class KeysetSignerSeamTests
{
    [Fact]
    public async Task AWithdrawalIsOneBatchPerKeysetInTheRequestsOrder()
    {
        using var world = new KeyCustodyWorld();
        using var keys = new InMemoryKeysetKeyStore();
        var signers = new SwitchableSignerSource(keys);
        var scheme = world.OpenSchemeWith(signers);
        scheme.VerificationParallelism = 1;
        var a = (await scheme.AnnounceKeysetAsync(new IdempotencyKey("a"), KeyCustodyWorld.Parameters(1))).Announcement.Descriptor;
        var b = (await scheme.AnnounceKeysetAsync(new IdempotencyKey("b"), KeyCustodyWorld.Parameters(2))).Announcement.Descriptor;
        var wallet = await world.WalletAsync(scheme, "worker-1", 1000);

        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [a.Id, b.Id, a.Id, a.Id, b.Id]);
        var result = await scheme.WithdrawAsync(request);

        Assert.Equal(WithdrawalStatus.Issued, result.Status);
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, result.Response!));
        Assert.Equal([(a.Id, 3), (b.Id, 2)], signers.Batches);
        Assert.Equal([a.Id, a.Id, a.Id, b.Id, b.Id], wallet.Coins.Select(c => c.Coin.Keyset).OrderBy(k => k == b.Id));
        Assert.All(wallet.Coins, c => Assert.True(c.Coin.VerifyIssuer(c.Coin.Keyset == a.Id ? a : b)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(16)]
    public async Task OnSeveralCoresEachKeysetsBatchIsSignedInPartsAndEverySignatureLandsAtItsMessage(int parallelism)
    {
        using var world = new KeyCustodyWorld();
        using var keys = new InMemoryKeysetKeyStore();
        var signers = new SwitchableSignerSource(keys);
        var scheme = world.OpenSchemeWith(signers);
        scheme.VerificationParallelism = parallelism;
        var a = (await scheme.AnnounceKeysetAsync(new IdempotencyKey("a"), KeyCustodyWorld.Parameters(1))).Announcement.Descriptor;
        var b = (await scheme.AnnounceKeysetAsync(new IdempotencyKey("b"), KeyCustodyWorld.Parameters(2))).Announcement.Descriptor;
        var wallet = await world.WalletAsync(scheme, "worker-1", 2000);

        KeysetId[] coins = [a.Id, b.Id, a.Id, a.Id, b.Id, a.Id, a.Id, b.Id, a.Id];
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), coins);
        var result = await scheme.WithdrawAsync(request);

        // The wallet unblinds each signature with its own message's secret and verifies it: a signature placed at
        // another message's index would not complete.
        Assert.Equal(WithdrawalStatus.Issued, result.Status);
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, result.Response!));
        Assert.All(wallet.Coins, c => Assert.True(c.Coin.VerifyIssuer(c.Coin.Keyset == a.Id ? a : b)));
        var batches = signers.Batches.ToLookup(x => x.Keyset, x => x.Messages);
        Assert.Equal(Math.Min(parallelism, 6), batches[a.Id].Count());
        Assert.Equal(Math.Min(parallelism, 3), batches[b.Id].Count());
        Assert.Equal((6, 3), (batches[a.Id].Sum(), batches[b.Id].Sum()));
    }

    [Fact]
    public async Task AWithdrawalWhileTheSignerIsDownMovesNothingAndTheSameRetryIssuesOnceItIsBack()
    {
        using var world = new KeyCustodyWorld();
        using var keys = new InMemoryKeysetKeyStore();
        var (signers, scheme, descriptor, wallet) = await OneKeysetAsync(world, keys);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [descriptor.Id, descriptor.Id]);

        // Coins are signed before the debit: a signer that cannot sign leaves the account as it was.
        signers.Down = true;
        var refused = await scheme.WithdrawAsync(request);
        Assert.Equal(WithdrawalStatus.SigningKeyUnavailable, refused.Status);
        Assert.Null(refused.Response);
        Assert.Equal(1000, await scheme.GetWorkerBalanceAsync(wallet.Account));

        signers.Down = false;
        var issued = await scheme.WithdrawAsync(request);

        Assert.Equal(WithdrawalStatus.Issued, issued.Status);
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, issued.Response!));
        Assert.Equal(800, await scheme.GetWorkerBalanceAsync(wallet.Account));
        Assert.All(wallet.Coins, c => Assert.True(c.Coin.VerifyIssuer(descriptor)));
    }

    [Fact]
    public async Task AKeysetRevokedWhileAWithdrawalSignsIssuesNothingAndDebitsNothing()
    {
        using var world = new KeyCustodyWorld();
        using var keys = new InMemoryKeysetKeyStore();
        var (signers, scheme, descriptor, wallet) = await OneKeysetAsync(world, keys);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [descriptor.Id]);
        ulong logged = (await scheme.GetTreeHeadAsync()).TreeSize;

        // The operator revokes the keyset (under the gate) while the coins are being signed (outside it).
        signers.BeforeSign = async () => Assert.True(await scheme.RevokeKeysetAsync(descriptor.Id));
        var result = await scheme.WithdrawAsync(request);

        Assert.Equal(WithdrawalStatus.KeysetNotWithdrawable, result.Status);
        Assert.Null(result.Response);
        Assert.Equal(1000, await scheme.GetWorkerBalanceAsync(wallet.Account));
        var head = await scheme.GetTreeHeadAsync();
        for (ulong i = logged; i < head.TreeSize; i++)
        {
            Assert.NotEqual(Wallet.Protocol.Log.LogEntryKind.CoinsIssued, (await scheme.GetLogEntryAsync(i))!.Kind);
        }
    }

    [Fact]
    public async Task ASwapWhileTheSignerIsDownKeepsItsLedgerEntryAndTheSameRetrySwapsOnceItIsBack()
    {
        using var world = new KeyCustodyWorld();
        using var keys = new InMemoryKeysetKeyStore();
        var signers = new SwitchableSignerSource(keys);
        var scheme = world.OpenSchemeWith(signers);
        var hundred = (await scheme.AnnounceKeysetAsync(new IdempotencyKey("k100"), KeyCustodyWorld.Parameters())).Announcement.Descriptor;
        var fifty = (await scheme.AnnounceKeysetAsync(new IdempotencyKey("k50"), Fifty())).Announcement.Descriptor;
        var wallet = await world.WalletAsync(scheme, "worker-1", 1000);
        var withdrawal = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [hundred.Id]);
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(withdrawal, (await scheme.WithdrawAsync(withdrawal)).Response!));
        var swap = wallet.PrepareChange(new IdempotencyKey("s1"), Amount.FromMinorUnits(50), [fifty.Id]).Request!;

        signers.Down = true;
        Assert.Equal(SwapStatus.SigningKeyUnavailable, (await scheme.SwapAsync(swap)).Status);

        signers.Down = false;
        var swapped = await scheme.SwapAsync(swap);

        Assert.Equal(SwapStatus.Swapped, swapped.Status);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteSwap(swap, swapped.Response!));
        Assert.Equal(2, wallet.Coins.Count);
        Assert.All(wallet.Coins, c => Assert.True(c.Coin.VerifyIssuer(fifty)));
    }

    [Fact]
    public async Task LoadRefusesASignerWhoseKeyIsNotTheAnnouncedOne()
    {
        using var world = new KeyCustodyWorld();
        using var keys = new InMemoryKeysetKeyStore();
        var announced = await world.OpenScheme(keys).AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters(), ProtocolKeys.Rsa2048);
        var id = announced.Announcement.Descriptor.Id;
        using var wrong = new InMemoryKeysetKeyStore();
        await wrong.PutAsync(id, ProtocolKeys.Rsa3072, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<KeysetKeyStoreException>(() => world.OpenSchemeWith(new SwitchableSignerSource(wrong)).LoadKeysAsync());

        Assert.Equal(id, refused.Keyset);
    }

    [Fact]
    public async Task ASchemeWhoseSignersKeepTheirOwnKeysRefusesACallersKey()
    {
        using var world = new KeyCustodyWorld();
        using var keys = new InMemoryKeysetKeyStore();
        var scheme = world.OpenSchemeWith(new SwitchableSignerSource(keys));

        await Assert.ThrowsAsync<ArgumentException>(() => scheme.AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters(), ProtocolKeys.Rsa2048));
        Assert.Empty(await scheme.ListKeysetsAsync());
    }

    [Fact]
    public async Task AGenerationWhileTheSignerIsDownLogsNothingAndARetryAnnounces()
    {
        using var world = new KeyCustodyWorld();
        using var keys = new InMemoryKeysetKeyStore();
        var signers = new SwitchableSignerSource(keys) { Down = true };
        var scheme = world.OpenSchemeWith(signers);

        await Assert.ThrowsAsync<KeysetSignerUnavailableException>(() => scheme.AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters()));
        Assert.Empty(await scheme.ListKeysetsAsync());

        signers.Down = false;
        var announced = await scheme.AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters());
        Assert.Single(await scheme.ListKeysetsAsync());
        Assert.NotNull(await keys.TryLoadAsync(announced.Announcement.Descriptor.Id, CancellationToken.None));
    }

    private static Wallet.Protocol.Operators.KeysetParameters Fifty() =>
        new(1, Amount.FromMinorUnits(50), KeysetDescriptor.GeneralFund, KeyCustodyWorld.Start, KeyCustodyWorld.Start.AddDays(30), KeyCustodyWorld.Start.AddDays(60), KeyCustodyWorld.Start.AddDays(90), BlindRsaScheme.Rsabssa);

    // A scheme signing through a switchable signer, one announced keyset, and a wallet funded with 1000.
    private static async Task<(SwitchableSignerSource Signers, Wallet.Protocol.Schemes.BenefitScheme Scheme, KeysetDescriptor Descriptor, WorkerWallet Wallet)> OneKeysetAsync(KeyCustodyWorld world, InMemoryKeysetKeyStore keys)
    {
        var signers = new SwitchableSignerSource(keys);
        var scheme = world.OpenSchemeWith(signers);
        var descriptor = (await scheme.AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters())).Announcement.Descriptor;
        return (signers, scheme, descriptor, await world.WalletAsync(scheme, "worker-1", 1000));
    }
}
