using Microsoft.Extensions.DependencyInjection;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Hosting.Wallets;
using Wallet.Protocol;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Hosting.Tests;

/// <summary>
/// One service provider holding all three roles, wired only through the Add… methods, and a withdraw-spend-deposit
/// round trip (optionally followed by a double spend) run through the resolved services.
/// </summary>
public sealed class HostedRoundTrip : IDisposable
{
    private static readonly Lazy<BlindRsaPrivateKey> s_rsa = new(() => BlindRsaPrivateKey.Generate(2048));

    // stores: a store package's registration, made after AddWalletScheme (whose in-memory stores it replaces).
    public HostedRoundTrip(Action<IServiceCollection>? stores = null)
    {
        var record = new ProviderRecord(new AccountId("union-a"), "Union A", ["union"], ReceiptKey.PublicKey, TimeProvider.System.GetUtcNow().AddDays(-2), TimeProvider.System.GetUtcNow().AddYears(1));
        Record = record;
        var services = new ServiceCollection();
        services.AddWalletScheme(o =>
        {
            o.SchemeKey = SchemeKey;
            o.AccreditationKey = AccreditationKey.PublicKey;
        });
        stores?.Invoke(services);
        services.AddWalletClient(o =>
        {
            o.SchemeKey = SchemeKey.PublicKey;
            o.AccreditationKey = AccreditationKey.PublicKey;
        });
        services.AddWalletProvider(o =>
        {
            o.Record = record;
            o.ReceiptKey = ReceiptKey;
            o.SchemeKey = SchemeKey.PublicKey;
        });
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public Ed25519SigningKey SchemeKey { get; } = Ed25519SigningKey.Generate();

    public Ed25519SigningKey AccreditationKey { get; } = Ed25519SigningKey.Generate();

    public Ed25519SigningKey ReceiptKey { get; } = Ed25519SigningKey.Generate();

    public ProviderRecord Record { get; }

    public ServiceProvider Services { get; }

    public async Task<(DepositResult Honest, DepositResult? Repeat)> RunAsync(bool doubleSpend = false)
    {
        var scheme = Services.GetRequiredService<BenefitScheme>();
        var client = Services.GetRequiredService<ISchemeClient>();
        var provider = Services.GetRequiredService<AccreditedProvider>();
        var now = TimeProvider.System.GetUtcNow();
        var key = s_rsa.Value;
        var descriptor = new KeysetDescriptor(1, Amount.FromMinorUnits(500), KeysetDescriptor.GeneralFund, now.AddDays(-1), now.AddDays(30), now.AddDays(30), now.AddDays(40), BlindRsaScheme.Rsabssa, key.PublicKey.ExportSubjectPublicKeyInfo());
        await scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{descriptor.Id}"), KeysetParameters.Of(descriptor), key);
        var registry = AccreditationRegistry.Sign(1, now.AddDays(-1), [Record], AccreditationKey);
        Assert.True(await scheme.PublishRegistryAsync(registry));

        using var seed = WalletSeed.Generate();
        using var accountKey = Ed25519SigningKey.Generate();
        var account = new AccountId("worker-1");
        await scheme.RegisterAccountAsync(account, accountKey.PublicKey);
        Assert.True((await scheme.ContributeAsync(new IdempotencyKey("payroll-1"), ContributionSource.Employer, account, Amount.FromMinorUnits(500))).Succeeded);

        using var wallet = Services.GetRequiredService<WalletFactory>().Open(seed, account, accountKey);
        var head = await client.GetTreeHeadAsync();
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveTreeHead(head, null));
        foreach (var keyset in await client.ListKeysetsAsync())
        {
            Assert.True(wallet.TrustKeyset(keyset.Announcement, await client.GetInclusionProofAsync(keyset.LogIndex, head.TreeSize)));
        }

        var withdrawal = wallet.PrepareUniformWithdrawal(new IdempotencyKey("w-1"), Amount.FromMinorUnits(500)).Request!;
        var issued = await client.WithdrawAsync(withdrawal);
        Assert.Equal(WithdrawalStatus.Issued, issued.Status);
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(withdrawal, issued.Response!));
        var coin = Assert.Single(wallet.Coins);

        var request = await provider.CreatePaymentRequestAsync(Amount.FromMinorUnits(500), "dues", TimeSpan.FromHours(1));
        var prepared = wallet.PreparePayment(request, registry);
        Assert.Equal(PaymentPreparationStatus.Ready, prepared.Status);
        Assert.Equal(PaymentVerification.Accepted, await provider.VerifyPaymentAsync(request, prepared.Spends, [descriptor]));
        var deposit = (await provider.CreateDepositAsync(new IdempotencyKey("d-1")))!;
        var honest = await client.DepositAsync(deposit);
        Assert.NotEmpty(await provider.CompleteDepositAsync(deposit, honest));
        if (!doubleSpend)
        {
            return (honest, null);
        }

        var second = await provider.CreatePaymentRequestAsync(Amount.FromMinorUnits(500), "dues again", TimeSpan.FromHours(1));
        using var secrets = seed.DeriveCoin(coin.Coin.Keyset.Bytes, coin.Counter);
        var replayed = CoinSpend.Sign(coin.Coin, second, secrets.SigningKey);
        return (honest, await client.DepositAsync(new DepositRequest(Record.Id, new IdempotencyKey("d-2"), [replayed])));
    }

    public void Dispose()
    {
        Services.Dispose();
        SchemeKey.Dispose();
        AccreditationKey.Dispose();
        ReceiptKey.Dispose();
    }
}
