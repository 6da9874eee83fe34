using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Hosting.Wallets;
using Wallet.Protocol;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Hosting.Tests.Schemes;

/// <summary>
/// AddWalletScheme's start-up key loading in a real generic host over SQLite files and a sealed key store: a restarted
/// host signs with the keys it loaded, and a host whose key store lacks a withdrawable keyset's key does not start.
/// </summary>
public sealed class SchemeKeyLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("walletcore-keyloader-").FullName;
    private readonly byte[] _kek = RandomNumberGenerator.GetBytes(SealedFileKeysetKeyStore.KeyEncryptionKeyLength);
    private readonly Ed25519SigningKey _schemeKey = Ed25519SigningKey.Generate();
    private readonly Ed25519SigningKey _accreditationKey = Ed25519SigningKey.Generate();
    private readonly Ed25519SigningKey _accountKey = Ed25519SigningKey.Generate();
    private readonly AccountId _account = new("worker-1");

    [Fact]
    public async Task RestartedHostLoadsItsKeysetKeysAndTheSchemeSigns()
    {
        await FirstRunAsync();

        using var host = Build(Path.Combine(_directory, "keys"));
        await host.StartAsync();
        var scheme = host.Services.GetRequiredService<BenefitScheme>();
        using var seed = WalletSeed.Generate();
        using var wallet = host.Services.GetRequiredService<WalletFactory>().Open(seed, _account, _accountKey);
        var head = await scheme.GetTreeHeadAsync();
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveTreeHead(head, null));
        foreach (var keyset in await scheme.ListKeysetsAsync())
        {
            Assert.True(wallet.TrustKeyset(keyset.Announcement, await scheme.GetInclusionProofAsync(keyset.LogIndex, head.TreeSize)));
        }

        var withdrawal = wallet.PrepareUniformWithdrawal(new IdempotencyKey("w-1"), Amount.FromMinorUnits(500)).Request!;
        var result = await scheme.WithdrawAsync(withdrawal);

        // Without the loader the restarted scheme has no key for the keyset and does not issue.
        Assert.Equal(WithdrawalStatus.Issued, result.Status);
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(withdrawal, result.Response!));
        await host.StopAsync();
    }

    [Fact]
    public async Task HostWhoseKeyStoreLacksAWithdrawableKeysetsKeyDoesNotStart()
    {
        var keyset = await FirstRunAsync();

        using var host = Build(Path.Combine(_directory, "other-keys"));
        var refused = await Assert.ThrowsAsync<MissingKeysetKeyException>(() => host.StartAsync());

        Assert.Contains(keyset, refused.Keysets);
    }

    public void Dispose()
    {
        _schemeKey.Dispose();
        _accreditationKey.Dispose();
        _accountKey.Dispose();
        CryptographicOperations.ZeroMemory(_kek);
        Directory.Delete(_directory, recursive: true);
    }

    // Announces a withdrawable keyset (its key generated and sealed into DIR/keys), registers and funds the worker.
    private async Task<KeysetId> FirstRunAsync()
    {
        using var host = Build(Path.Combine(_directory, "keys"));
        await host.StartAsync();
        var scheme = host.Services.GetRequiredService<BenefitScheme>();
        var now = DateTimeOffset.UtcNow;
        var announced = await scheme.AnnounceKeysetAsync(new IdempotencyKey("keyset-1"), new KeysetParameters(1, Amount.FromMinorUnits(500), KeysetDescriptor.GeneralFund, now.AddDays(-1), now.AddDays(30), now.AddDays(30), now.AddDays(40)));
        await scheme.RegisterAccountAsync(_account, _accountKey.PublicKey);
        Assert.True((await scheme.ContributeAsync(new IdempotencyKey("payroll-1"), ContributionSource.Employer, _account, Amount.FromMinorUnits(500))).Succeeded);
        await host.StopAsync();
        return announced.Announcement.Descriptor.Id;
    }

    private IHost Build(string keyDirectory)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services
            .AddSingleton<IKeysetKeyStore>(_ => new SealedFileKeysetKeyStore(keyDirectory, _kek))
            .AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey) = (_schemeKey, _accreditationKey.PublicKey))
            .AddWalletSqliteStores(o => o.Directory = _directory)
            .AddWalletClient(o => (o.SchemeKey, o.AccreditationKey) = (_schemeKey.PublicKey, _accreditationKey.PublicKey));
        return builder.Build();
    }
}
