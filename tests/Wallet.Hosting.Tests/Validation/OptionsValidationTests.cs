using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Witnesses;

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

    [Fact]
    public void AnInvalidWitnessPolicyFailsValidationAtStartWithEachProblemNamed()
    {
        using var scheme = Ed25519SigningKey.Generate();
        using var witness = Ed25519SigningKey.Generate();
        using var services = new ServiceCollection().AddWalletClient(o =>
        {
            (o.SchemeKey, o.AccreditationKey) = (scheme.PublicKey, scheme.PublicKey);
            o.WitnessPolicy = new WitnessPolicyOptions { LogVerifierKey = "not a vkey", Quorum = 2 };
            o.WitnessPolicy.Witnesses.Add(new WitnessKeyOptions { Name = "w", VerifierKey = new CosignatureV1Verifier("w.example.org", witness.PublicKey).VerifierKey });
        }).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(error.Failures, f => f.StartsWith("WitnessPolicy.LogVerifierKey", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("WitnessPolicy.Quorum is 2", StringComparison.Ordinal));
    }

    [Fact]
    public void AWitnessPolicyForAnotherLogKeyFailsValidationForWalletsAndProviders()
    {
        using var scheme = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        using var witness = Ed25519SigningKey.Generate();
        var policy = new WitnessPolicyOptions { LogVerifierKey = new Ed25519NoteVerifier("benefits.example.org/pb1", other.PublicKey).VerifierKey, Quorum = 1 };
        policy.Witnesses.Add(new WitnessKeyOptions { Name = "w", VerifierKey = new CosignatureV1Verifier("w.example.org", witness.PublicKey).VerifierKey });
        var now = TimeProvider.System.GetUtcNow();
        using var client = new ServiceCollection().AddWalletClient(o => (o.SchemeKey, o.AccreditationKey, o.WitnessPolicy) = (scheme.PublicKey, scheme.PublicKey, policy)).BuildServiceProvider();
        using var provider = new ServiceCollection().AddWalletProvider(o =>
        {
            o.Record = new ProviderRecord(new AccountId("union-a"), "Union A", ["union"], other.PublicKey, now, now.AddDays(1));
            (o.ReceiptKey, o.SchemeKey, o.WitnessPolicy) = (other, scheme.PublicKey, policy);
        }).BuildServiceProvider();

        var clientError = Assert.Throws<OptionsValidationException>(() => client.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(["WitnessPolicy.LogVerifierKey is not the scheme key: the scheme signs its checkpoints with it."], clientError.Failures);
        var providerError = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<AccreditedProvider>());
        Assert.Equal(["WitnessPolicy.LogVerifierKey is not the scheme key: the scheme signs its checkpoints with it."], providerError.Failures);
    }
}
