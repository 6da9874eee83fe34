using System.Security.Cryptography;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Keysets;

/// <summary>The scheme keeps every keyset key in its key store and loads them back at start-up (issue 15, key custody).</summary>
public sealed class KeyCustodyTests
{
    [Fact]
    public async Task GeneratedKeyIssuesAfterARestartFromSealedFiles()
    {
        using var world = new KeyCustodyWorld();
        string directory = Directory.CreateTempSubdirectory("walletcore-keys-").FullName;
        byte[] kek = RandomNumberGenerator.GetBytes(SealedFileKeysetKeyStore.KeyEncryptionKeyLength);
        try
        {
            PublishedKeyset announced;
            using (var before = new SealedFileKeysetKeyStore(directory, kek))
            {
                announced = await world.OpenScheme(before).AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters());
            }

            using var after = new SealedFileKeysetKeyStore(directory, kek);
            var restarted = world.OpenScheme(after);
            await restarted.LoadKeysAsync();

            var descriptor = announced.Announcement.Descriptor;
            var wallet = await world.WalletAsync(restarted, "worker-1", 1000);
            var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [descriptor.Id, descriptor.Id]);
            var result = await restarted.WithdrawAsync(request);

            Assert.Equal(WithdrawalStatus.Issued, result.Status);
            Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, result.Response!));
            Assert.Equal(2, wallet.Coins.Count);
            Assert.All(wallet.Coins, c => Assert.True(c.Coin.VerifyIssuer(descriptor)));
            Assert.Equal(800, await restarted.GetWorkerBalanceAsync(wallet.Account));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task WithoutItsKeyStoreARestartedSchemeCannotIssueGeneratedKeysets()
    {
        using var world = new KeyCustodyWorld();
        using var before = new InMemoryKeysetKeyStore();
        var announced = await world.OpenScheme(before).AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters());

        using var empty = new InMemoryKeysetKeyStore();
        var restarted = world.OpenScheme(empty);
        var refused = await Assert.ThrowsAsync<MissingKeysetKeyException>(() => restarted.LoadKeysAsync());

        var id = announced.Announcement.Descriptor.Id;
        Assert.Equal([id], refused.Keysets);
        Assert.Contains(id.ToString(), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadRefusesWhenAWithdrawableKeysetHasNoKeyAndAttachesNothing()
    {
        using var world = new KeyCustodyWorld();
        using var before = new InMemoryKeysetKeyStore();
        var first = await world.OpenScheme(before).AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters(1), ProtocolKeys.Rsa2048);
        var second = await world.OpenScheme(before).AnnounceKeysetAsync(new IdempotencyKey("k2"), KeyCustodyWorld.Parameters(2), ProtocolKeys.Rsa2048);

        using var partial = new InMemoryKeysetKeyStore();
        await partial.PutAsync(first.Announcement.Descriptor.Id, ProtocolKeys.Rsa2048, CancellationToken.None);
        var restarted = world.OpenScheme(partial);
        var refused = await Assert.ThrowsAsync<MissingKeysetKeyException>(() => restarted.LoadKeysAsync());
        Assert.Equal([second.Announcement.Descriptor.Id], refused.Keysets);

        // Refusing means nothing issues, not even the keyset whose key was found.
        var wallet = await world.WalletAsync(restarted, "worker-1", 1000);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [first.Announcement.Descriptor.Id]);
        Assert.Equal(WithdrawalStatus.UnknownKeyset, (await restarted.WithdrawAsync(request)).Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LoadAcceptsAMissingKeyOnceItsKeysetCanNoLongerBeWithdrawn(bool revoke)
    {
        using var world = new KeyCustodyWorld();
        using var before = new InMemoryKeysetKeyStore();
        var scheme = world.OpenScheme(before);
        var announced = await scheme.AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters(), ProtocolKeys.Rsa2048);
        if (revoke)
        {
            Assert.True(await scheme.RevokeKeysetAsync(announced.Announcement.Descriptor.Id));
        }
        else
        {
            world.Time.SetUtcNow(announced.Announcement.Descriptor.WithdrawUntil.AddSeconds(1));
        }

        using var empty = new InMemoryKeysetKeyStore();
        await world.OpenScheme(empty).LoadKeysAsync();
    }

    [Fact]
    public async Task LoadRefusesAStoredKeyThatIsNotTheKeysetsKey()
    {
        using var world = new KeyCustodyWorld();
        using var before = new InMemoryKeysetKeyStore();
        var announced = await world.OpenScheme(before).AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters(), ProtocolKeys.Rsa2048);

        using var swapped = new InMemoryKeysetKeyStore();
        await swapped.PutAsync(announced.Announcement.Descriptor.Id, ProtocolKeys.Rsa3072, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<KeysetKeyStoreException>(() => world.OpenScheme(swapped).LoadKeysAsync());
        Assert.Equal(announced.Announcement.Descriptor.Id, refused.Keyset);
    }

    [Fact]
    public async Task AKeyTheSealedStoreCannotKeepIsRefusedBeforeTheKeysetIsLogged()
    {
        using var world = new KeyCustodyWorld();
        string directory = Directory.CreateTempSubdirectory("walletcore-keys-").FullName;
        try
        {
            using var keys = new SealedFileKeysetKeyStore(directory, RandomNumberGenerator.GetBytes(32));
            var scheme = world.OpenScheme(keys);

            // The test key was imported non-exportable, so it cannot be sealed: no keyset may be logged without its key.
            var refused = await Assert.ThrowsAsync<ArgumentException>(() => scheme.AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters(), ProtocolKeys.Rsa2048));
            Assert.Equal("key", refused.ParamName);
            Assert.Empty(await scheme.ListKeysetsAsync());
            Assert.Equal(0UL, (await scheme.GetTreeHeadAsync()).TreeSize);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ReannouncingAfterARestartIsIdempotent()
    {
        using var world = new KeyCustodyWorld();
        using var keys = new InMemoryKeysetKeyStore();
        var first = await world.OpenScheme(keys).AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters(), ProtocolKeys.Rsa2048);

        var restarted = world.OpenScheme(keys);
        await restarted.LoadKeysAsync();
        var again = await restarted.AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters(), ProtocolKeys.Rsa2048);

        Assert.Equal(first.LogIndex, again.LogIndex);
        Assert.Single(await restarted.ListKeysetsAsync());
    }
}
