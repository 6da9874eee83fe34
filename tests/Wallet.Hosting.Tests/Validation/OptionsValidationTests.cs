using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;

namespace Wallet.Hosting.Tests.Validation;

/// <summary>The options validators of src/Wallet.Hosting/Validation, as a host meets them at start-up.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void MissingSchemeKeysFailValidationAtStart()
    {
        using var services = new ServiceCollection().AddWalletScheme().BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(error.Failures, f => f.Contains(nameof(WalletSchemeOptions.SchemeKey), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(WalletSchemeOptions.AccreditationKey), StringComparison.Ordinal));
    }

    [Fact]
    public void ProviderReceiptKeyOtherThanTheRecordsFailsValidation()
    {
        using var recordKey = Ed25519SigningKey.Generate();
        using var otherKey = Ed25519SigningKey.Generate();
        var now = TimeProvider.System.GetUtcNow();
        using var services = new ServiceCollection().AddWalletProvider(o =>
        {
            o.Record = new ProviderRecord(new AccountId("union-a"), "Union A", ["union"], recordKey.PublicKey, now, now.AddDays(1));
            o.ReceiptKey = otherKey;
            o.SchemeKey = recordKey.PublicKey;
        }).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<AccreditedProvider>());
        Assert.Contains(error.Failures, f => f.Contains(nameof(WalletProviderOptions.ReceiptKey), StringComparison.Ordinal));
    }

    [Fact]
    public void ClientWithoutPinnedKeysFailsValidationAtStart()
    {
        using var services = new ServiceCollection().AddWalletClient().BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(2, error.Failures.Count());
    }
}
