using Wallet.Crypto.Signing;

namespace Wallet.Crypto.Tests.Signing;

public sealed class Ed25519SigningKeyTests
{
    private static readonly SignatureDomain Receipt = new("PB1/withdrawal-receipt", 1);

    private static byte[] Message(int length)
    {
        var message = new byte[length];
        for (int i = 0; i < message.Length; i++)
        {
            message[i] = (byte)(i * 7 + 3);
        }

        return message;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(1000)]
    public void SignSuccess(int length)
    {
        using var key = Ed25519SigningKey.Generate();
        byte[] message = Message(length);

        byte[] signature = key.Sign(Receipt, message);

        Assert.Equal(Ed25519PublicKey.SignatureLength, signature.Length);
        Assert.True(key.PublicKey.Verify(Receipt, message, signature));
    }

    [Fact]
    public void SignatureCoversTheFramedMessageAsPlainEd25519()
    {
        // The domain prefix is part of the signed bytes: a plain RFC 8032 verifier over Frame(content) accepts.
        using var key = Ed25519SigningKey.Generate();
        byte[] message = Message(40);
        byte[] signature = key.Sign(Receipt, message);
        var nsecKey = NSec.Cryptography.PublicKey.Import(
            NSec.Cryptography.SignatureAlgorithm.Ed25519, key.PublicKey.AsSpan(), NSec.Cryptography.KeyBlobFormat.RawPublicKey);

        Assert.True(NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(nsecKey, Receipt.Frame(message), signature));
        Assert.False(NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(nsecKey, message, signature));
    }

    [Fact]
    public void Rfc8032Test1KeyDerivesTheSpecifiedPublicKey()
    {
        // RFC 8032 section 7.1, TEST 1.
        byte[] seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        using var key = Ed25519SigningKey.FromSeed(seed);

        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(key.PublicKey.AsSpan()));
    }

    [Fact]
    public void FromSeedIsDeterministic()
    {
        byte[] seed = Message(32);
        using var a = Ed25519SigningKey.FromSeed(seed);
        using var b = Ed25519SigningKey.FromSeed(seed);

        Assert.Equal(a.PublicKey, b.PublicKey);
        Assert.Equal(a.Sign(Receipt, Message(5)), b.Sign(Receipt, Message(5)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void FromSeedWithWrongLengthThrows(int length)
    {
        var ex = Assert.Throws<ArgumentException>(() => Ed25519SigningKey.FromSeed(new byte[length]));
        Assert.Equal("seed", ex.ParamName);
    }

    [Fact]
    public void SignWithNullDomainThrows()
    {
        using var key = Ed25519SigningKey.Generate();

        var ex = Assert.Throws<ArgumentNullException>(() => key.Sign(null!, Message(3)));
        Assert.Equal("domain", ex.ParamName);
    }

    [Fact]
    public void SignWithDisposedKeyThrows()
    {
        var key = Ed25519SigningKey.Generate();
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.Sign(Receipt, Message(3)));
    }

    [Fact]
    public void DisposeTwiceIsHarmless()
    {
        var key = Ed25519SigningKey.Generate();
        key.Dispose();
        key.Dispose();
    }

    [Fact]
    public void ExportSeedOfExportableKeyRoundTrips()
    {
        using var key = Ed25519SigningKey.Generate(exportable: true);
        var seed = new byte[Ed25519SigningKey.SeedLength];
        key.ExportSeed(seed);
        using var again = Ed25519SigningKey.FromSeed(seed);

        Assert.Equal(key.PublicKey, again.PublicKey);
    }

    [Fact]
    public void ExportSeedOfNonExportableKeyThrows()
    {
        using var key = Ed25519SigningKey.Generate();

        Assert.Throws<InvalidOperationException>(() => key.ExportSeed(new byte[Ed25519SigningKey.SeedLength]));
    }

    [Fact]
    public void ExportSeedIntoWrongLengthThrows()
    {
        using var key = Ed25519SigningKey.Generate(exportable: true);

        var ex = Assert.Throws<ArgumentException>(() => key.ExportSeed(new byte[31]));
        Assert.Equal("destination", ex.ParamName);
    }

    [Fact]
    public void ExportSeedOfDisposedKeyThrows()
    {
        var key = Ed25519SigningKey.Generate(exportable: true);
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.ExportSeed(new byte[Ed25519SigningKey.SeedLength]));
    }

    [Fact]
    public void GeneratedKeysDiffer()
    {
        using var a = Ed25519SigningKey.Generate();
        using var b = Ed25519SigningKey.Generate();

        Assert.NotEqual(a.PublicKey, b.PublicKey);
    }

    [Fact]
    public void VerifyFailsUnderOtherKey()
    {
        using var signer = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        byte[] signature = signer.Sign(Receipt, Message(10));

        Assert.False(other.PublicKey.Verify(Receipt, Message(10), signature));
    }

    [Fact]
    public void ExportedPublicKeyImportsAndVerifies()
    {
        using var key = Ed25519SigningKey.Generate();
        byte[] signature = key.Sign(Receipt, Message(10));
        var imported = Ed25519PublicKey.Import(key.PublicKey.Export());

        Assert.True(imported.Verify(Receipt, Message(10), signature));
        Assert.Equal(key.PublicKey, imported);
    }
}
