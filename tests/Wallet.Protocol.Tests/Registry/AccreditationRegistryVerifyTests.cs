using Wallet.Crypto.Signing;
using Wallet.Protocol.Registry;

namespace Wallet.Protocol.Tests.Registry;

/// <summary>
/// A registry remembers the key its signature was found valid for, so a wallet's check before every payment does not
/// verify again; the memory never makes another key, or a registry whose bytes were changed, verify.
/// </summary>
public sealed class AccreditationRegistryVerifyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AVerifiedRegistryStillRefusesOtherKeysAndAlteredCopies()
    {
        using var body = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        using var receipt = Ed25519SigningKey.Generate();
        var provider = new ProviderRecord(new AccountId("union-1"), "Union One", ["dues"], receipt.PublicKey, Start, Start.AddYears(1));
        var registry = AccreditationRegistry.Sign(1, Start, [provider], body);

        Assert.False(registry.Verify(other.PublicKey));
        Assert.True(registry.Verify(body.PublicKey));
        Assert.True(registry.Verify(Ed25519PublicKey.Import(body.PublicKey.Export())));
        Assert.False(registry.Verify(other.PublicKey));
        Assert.True(registry.Verify(body.PublicKey));

        // A copy with one signature byte flipped is another object: it verifies afresh and fails.
        byte[] encoded = registry.Encode();
        encoded[^1] ^= 1;
        Assert.False(AccreditationRegistry.Decode(encoded).Verify(body.PublicKey));

        // Signed by another key, it never verifies for the body's key, however often it is asked.
        var forged = AccreditationRegistry.Sign(1, Start, [provider], other);
        Assert.False(forged.Verify(body.PublicKey));
        Assert.True(forged.Verify(other.PublicKey));
        Assert.False(forged.Verify(body.PublicKey));
    }
}
