using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using Wallet.Crypto.Signing;

namespace Wallet.Crypto.Tests.Signing;

public sealed class Ed25519PublicKeyTests : IDisposable
{
    private static readonly SignatureDomain Receipt = new("PB1/withdrawal-receipt", 1);
    private static readonly SignatureDomain TreeHead = new("PB1/tree-head", 1);

    private readonly Ed25519SigningKey _key = Ed25519SigningKey.Generate();
    private readonly byte[] _message = Convert.FromHexString(
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");

    public void Dispose() => _key.Dispose();

    [Fact]
    public void VerifySuccess()
    {
        byte[] signature = _key.Sign(Receipt, _message);

        Assert.True(_key.PublicKey.Verify(Receipt, _message, signature));
    }

    [Theory]
    [InlineData("PB1/tree-head", 1)]
    [InlineData("PB1/withdrawal-receipt", 2)]
    [InlineData("PB1/withdrawal-receipt", 0)]
    [InlineData("PB1/withdrawal-receipT", 1)]
    [InlineData("PB1/withdrawal-receip", 1)]
    public void VerifyInOtherDomainFails(string label, ushort version)
    {
        byte[] signature = _key.Sign(Receipt, _message);

        Assert.False(_key.PublicKey.Verify(new SignatureDomain(label, version), _message, signature));
    }

    [Fact]
    public void DomainBoundaryCannotBeShiftedIntoTheContent()
    {
        // Without the length prefix, label "PB1/a" + content "bX…" would collide with label "PB1/ab" + "X…".
        var shortLabel = new SignatureDomain("PB1/a", 1);
        var longLabel = new SignatureDomain("PB1/ab", 1);
        byte[] shifted = [.. "b"u8, .. _message];

        Assert.NotEqual(shortLabel.Frame(shifted), longLabel.Frame(_message));
        byte[] signature = _key.Sign(longLabel, _message);
        Assert.False(_key.PublicKey.Verify(shortLabel, shifted, signature));
    }

    [FsCheck.Xunit.Property(MaxTest = 50)]
    public Property SignatureNeverVerifiesInAnotherDomain()
    {
        var labels = Gen.Elements("PB1/withdrawal-receipt", "PB1/tree-head", "PB1/coin-spend", "PB1/spend-receipt", "PB1/deposit-receipt", "x");
        var domains = Gen.Zip(labels, Gen.Choose(0, 3)).Select(t => new SignatureDomain(t.Item1, (ushort)t.Item2));
        var cases = Gen.Zip(domains, domains).Where(t => !t.Item1.Equals(t.Item2)).ToArbitrary();
        return Prop.ForAll(cases, pair =>
        {
            byte[] signature = _key.Sign(pair.Item1, _message);
            return _key.PublicKey.Verify(pair.Item1, _message, signature) && !_key.PublicKey.Verify(pair.Item2, _message, signature);
        });
    }

    [Fact]
    public void VerifyWithAnyMessageBitFlippedFails()
    {
        byte[] signature = _key.Sign(Receipt, _message);
        for (int bit = 0; bit < _message.Length * 8; bit++)
        {
            byte[] altered = (byte[])_message.Clone();
            altered[bit / 8] ^= (byte)(1 << (bit % 8));

            Assert.False(_key.PublicKey.Verify(Receipt, altered, signature), $"bit {bit}");
        }
    }

    [Fact]
    public void VerifyWithAnySignatureBitFlippedFails()
    {
        byte[] signature = _key.Sign(Receipt, _message);
        for (int bit = 0; bit < signature.Length * 8; bit++)
        {
            byte[] altered = (byte[])signature.Clone();
            altered[bit / 8] ^= (byte)(1 << (bit % 8));

            Assert.False(_key.PublicKey.Verify(Receipt, _message, altered), $"bit {bit}");
        }
    }

    [Fact]
    public void VerifyUnderAnyKeyWithOneBitFlippedFails()
    {
        byte[] signature = _key.Sign(Receipt, _message);
        byte[] encoded = _key.PublicKey.Export();
        int imported = 0;
        for (int bit = 0; bit < encoded.Length * 8; bit++)
        {
            byte[] altered = (byte[])encoded.Clone();
            altered[bit / 8] ^= (byte)(1 << (bit % 8));
            if (Ed25519PublicKey.TryImport(altered, out var other))
            {
                imported++;
                Assert.False(other.Verify(Receipt, _message, signature), $"bit {bit}");
            }
        }

        // Most flips give no valid key; the loop still has to have exercised Verify for the test to mean anything.
        Assert.True(imported > 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(128)]
    public void VerifyWithWrongSignatureLengthReturnsFalse(int length)
    {
        byte[] signature = _key.Sign(Receipt, _message);
        var wrong = new byte[length];
        signature.AsSpan(0, Math.Min(length, signature.Length)).CopyTo(wrong);

        Assert.False(_key.PublicKey.Verify(Receipt, _message, wrong));
    }

    [Fact]
    public void VerifyWithNullDomainThrows()
    {
        byte[] signature = _key.Sign(Receipt, _message);

        var ex = Assert.Throws<ArgumentNullException>(() => _key.PublicKey.Verify(null!, _message, signature));
        Assert.Equal("domain", ex.ParamName);
    }

    [Fact]
    public void VerifyStillWorksAfterSigningKeyIsDisposed()
    {
        var key = Ed25519SigningKey.Generate();
        byte[] signature = key.Sign(TreeHead, _message);
        Ed25519PublicKey publicKey = key.PublicKey;
        key.Dispose();

        Assert.True(publicKey.Verify(TreeHead, _message, signature));
    }

    public static TheoryData<string> MalformedKeys => new()
    {
        string.Empty,
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f70751",     // 31 bytes
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a00", // 33 bytes
        "0200000000000000000000000000000000000000000000000000000000000000", // y = 2 is not on the curve
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y >= p: not canonical
        "0100000000000000000000000000000000000000000000000000000000000000", // the identity: small order
        "0000000000000000000000000000000000000000000000000000000000000000", // order 4
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = -1: order 2
    };

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public void ImportOfMalformedKeyThrows(string hex)
    {
        Assert.Throws<CryptographicException>(() => Ed25519PublicKey.Import(Convert.FromHexString(hex)));
    }

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public void TryImportOfMalformedKeyReturnsFalse(string hex)
    {
        Assert.False(Ed25519PublicKey.TryImport(Convert.FromHexString(hex), out var key));
        Assert.Null(key);
    }

    [Fact]
    public void EqualKeysHaveEqualHashCodes()
    {
        var a = Ed25519PublicKey.Import(_key.PublicKey.Export());
        var b = Ed25519PublicKey.Import(_key.PublicKey.AsSpan());

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(Convert.ToHexStringLower(_key.PublicKey.AsSpan()), a.ToString());
    }
}
