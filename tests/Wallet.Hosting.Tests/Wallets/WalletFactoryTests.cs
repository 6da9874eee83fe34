using Microsoft.Extensions.DependencyInjection;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Hosting.Wallets;
using Wallet.Protocol;
using Wallet.Protocol.Witnesses;

namespace Wallet.Hosting.Tests.Wallets;

/// <summary>src/Wallet.Hosting/Wallets: the factory a wallet app uses to open one wallet per signed-in worker.</summary>
public sealed class WalletFactoryTests
{
    [Fact]
    public void OpenedWalletBelongsToTheAccountAndStartsEmpty()
    {
        using var scheme = Ed25519SigningKey.Generate();
        using var accreditation = Ed25519SigningKey.Generate();
        using var provider = new ServiceCollection()
            .AddWalletClient(o => (o.SchemeKey, o.AccreditationKey) = (scheme.PublicKey, accreditation.PublicKey))
            .BuildServiceProvider();
        using var seed = WalletSeed.Generate();
        using var accountKey = Ed25519SigningKey.Generate();

        using var wallet = provider.GetRequiredService<WalletFactory>().Open(seed, new AccountId("worker-1"), accountKey);

        Assert.Equal(new AccountId("worker-1"), wallet.Account);
        Assert.Empty(wallet.Coins);
        Assert.Null(wallet.TrustedTreeHead);
    }

    [Fact]
    public void OpenWithANullArgumentNamesIt()
    {
        using var scheme = Ed25519SigningKey.Generate();
        using var provider = new ServiceCollection()
            .AddWalletClient(o => (o.SchemeKey, o.AccreditationKey) = (scheme.PublicKey, scheme.PublicKey))
            .BuildServiceProvider();
        var factory = provider.GetRequiredService<WalletFactory>();
        using var seed = WalletSeed.Generate();
        using var key = Ed25519SigningKey.Generate();

        Assert.Throws<ArgumentNullException>("seed", () => factory.Open(null!, new AccountId("w"), key));
        Assert.Throws<ArgumentNullException>("account", () => factory.Open(seed, null!, key));
        Assert.Throws<ArgumentNullException>("accountKey", () => factory.Open(seed, new AccountId("w"), null!));
    }

    [Fact]
    public void OpenedWalletAppliesTheConfiguredWitnessPolicy()
    {
        using var scheme = Ed25519SigningKey.Generate();
        using var witness = Ed25519SigningKey.Generate();
        var policy = new WitnessPolicyOptions { LogVerifierKey = new Ed25519NoteVerifier("benefits.example.org/pb1", scheme.PublicKey).VerifierKey, Quorum = 1 };
        policy.Witnesses.Add(new WitnessKeyOptions { Name = "w", VerifierKey = new CosignatureV1Verifier("w.example.org", witness.PublicKey).VerifierKey });
        using var provider = new ServiceCollection()
            .AddWalletClient(o => (o.SchemeKey, o.AccreditationKey, o.WitnessPolicy) = (scheme.PublicKey, scheme.PublicKey, policy))
            .BuildServiceProvider();
        using var seed = WalletSeed.Generate();
        using var accountKey = Ed25519SigningKey.Generate();

        using var wallet = provider.GetRequiredService<WalletFactory>().Open(seed, new AccountId("worker-1"), accountKey);

        Assert.NotNull(wallet.WitnessPolicy);
        Assert.Equal(1, wallet.WitnessPolicy.Quorum);
        Assert.Equal(1, wallet.WitnessPolicy.WitnessCount);
        Assert.Equal(scheme.PublicKey, wallet.WitnessPolicy.LogKey.PublicKey);
    }
}
