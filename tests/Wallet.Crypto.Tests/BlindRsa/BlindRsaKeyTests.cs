using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;

namespace Wallet.Crypto.Tests.BlindRsa;

/// <summary>Key generation, import and export in every encoding, and malformed key material.</summary>
public sealed class BlindRsaKeyTests
{
    private static BlindRsaPrivateKey Source => TestKeys.Standard(2048, RsaBackendKind.Managed);

    [Fact]
    public void PrivateKeyRoundTripsThroughEveryEncoding()
    {
        var source = Source;
        using var fromPkcs8 = BlindRsaPrivateKey.ImportPkcs8(source.ExportPkcs8(), exportable: true);
        using var fromPkcs1 = BlindRsaPrivateKey.ImportPkcs1(source.ExportPkcs1(), exportable: true);
        using var fromPem8 = BlindRsaPrivateKey.ImportFromPem(source.ExportPkcs8Pem(), exportable: true);
        using var fromPem1 = BlindRsaPrivateKey.ImportFromPem(source.ExportPkcs1Pem(), exportable: true);
        foreach (var key in new[] { fromPkcs8, fromPkcs1, fromPem8, fromPem1 })
        {
            Assert.Equal(source.PublicKey, key.PublicKey);
            Assert.Equal(source.ExportPkcs8(), key.ExportPkcs8());
        }

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", source.ExportPkcs8Pem(), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", source.ExportPkcs1Pem(), StringComparison.Ordinal);
    }

    [Fact]
    public void PublicKeyRoundTripsThroughSpkiPssSpkiAndPem()
    {
        var key = Source.PublicKey;
        using var spki = BlindRsaPublicKey.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
        using var pss = BlindRsaPublicKey.ImportSubjectPublicKeyInfo(key.ExportRsaPssSubjectPublicKeyInfo());
        using var pem = BlindRsaPublicKey.ImportFromPem(key.ExportSubjectPublicKeyInfoPem());
        Assert.Equal(key, spki);
        Assert.Equal(key, pss);
        Assert.Equal(key, pem);

        // The rsaEncryption form is what .NET and OpenSSL produce themselves.
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
        Assert.Equal(SHA256.HashData(key.ExportRsaPssSubjectPublicKeyInfo()), key.ComputeTokenKeyId());
    }

    [Fact]
    public void MalformedPrivateKeysThrowCryptographicExceptionAndTryImportReturnsFalse()
    {
        byte[] good = Source.ExportPkcs8();
        using var small = RSA.Create(1024);
        List<byte[]> cases =
        [
            [],
            [0x30],
            good[..(good.Length / 2)],
            good[..^1],
            [.. good, 0x00],
            Source.ExportPkcs1(),                  // PKCS#1 presented as PKCS#8
            small.ExportPkcs8PrivateKey(),         // below 2048 bits
            Source.PublicKey.ExportSubjectPublicKeyInfo(),
        ];
        byte[] flipped = (byte[])good.Clone();
        flipped[40] ^= 0xFF;
        cases.Add(flipped);

        foreach (var bytes in cases)
        {
            Assert.Throws<CryptographicException>(() => BlindRsaPrivateKey.ImportPkcs8(bytes));
            Assert.False(BlindRsaPrivateKey.TryImportPkcs8(bytes, out var key));
            Assert.Null(key);
        }

        Assert.False(BlindRsaPrivateKey.TryImportPkcs1(good, out _));
        Assert.Throws<CryptographicException>(() => BlindRsaPrivateKey.ImportPkcs1(Source.ExportPkcs1()[..^3]));
    }

    [Fact]
    public void MalformedPublicKeysAreRejected()
    {
        var key = Source.PublicKey;
        byte[] spki = key.ExportSubjectPublicKeyInfo();
        byte[] pss = key.ExportRsaPssSubjectPublicKeyInfo();
        byte[] otherSalt = (byte[])pss.Clone();
        int saltIndex = pss.AsSpan().IndexOf(new byte[] { 0xA2, 0x03, 0x02, 0x01, 0x30 });
        Assert.True(saltIndex > 0);
        otherSalt[saltIndex + 4] = 0x20; // saltLength 32 instead of 48

        using var small = RSA.Create(1024);
        foreach (var bytes in new byte[][] { [], spki[..^1], [.. spki, 0x00], otherSalt, small.ExportSubjectPublicKeyInfo(), Source.ExportPkcs8() })
        {
            Assert.Throws<CryptographicException>(() => BlindRsaPublicKey.ImportSubjectPublicKeyInfo(bytes));
            Assert.False(BlindRsaPublicKey.TryImportSubjectPublicKeyInfo(bytes, out _));
        }

        Assert.False(BlindRsaPublicKey.TryImportFromPem(Source.ExportPkcs8Pem(), out _));
        Assert.False(BlindRsaPublicKey.TryImportFromPem("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----", out _));
        Assert.False(BlindRsaPrivateKey.TryImportFromPem(key.ExportSubjectPublicKeyInfoPem(), out _));
        Assert.False(BlindRsaPrivateKey.TryImportFromPem(Source.ExportPkcs8Pem() + Source.ExportPkcs8Pem(), out _));
    }

    [Fact]
    public void PartiallyBlindSchemeRefusesKeysWithoutSafePrimes()
    {
        Assert.False(BlindRsaPrivateKey.TryImportPkcs8(Source.ExportPkcs8(), out _, BlindRsaScheme.Rsapbssa));
        Assert.True(BlindRsaPrivateKey.TryImportPkcs8(Source.ExportPkcs8(), out var standard, BlindRsaScheme.Rsabssa));
        standard!.Dispose();
    }

    [Fact]
    public void PartiallyBlindKeyExportsAndReimportsAsPartiallyBlind()
    {
        using var key = BlindRsaPrivateKey.ImportPkcs8(ExportOf(TestKeys.PartiallyBlind(2048, RsaBackendKind.Managed)), BlindRsaScheme.Rsapbssa);
        Assert.Equal(BlindRsaScheme.Rsapbssa, key.Scheme);
    }

    [Fact]
    public void GenerateMakesUsableKeysOfEachScheme()
    {
        using var standard = BlindRsaPrivateKey.Generate(2048);
        Assert.Equal(2048, standard.ModulusBits);
        using var partial = BlindRsaPrivateKey.Generate(2048, BlindRsaScheme.Rsapbssa, exportable: true);
        Assert.Equal(2048, partial.ModulusBits);
        using var reimported = BlindRsaPrivateKey.ImportPkcs8(partial.ExportPkcs8(), BlindRsaScheme.Rsapbssa);
        Assert.Equal(partial.PublicKey, reimported.PublicKey);

        var algorithm = BlindRsaAlgorithm.RsaPbssaSha384PssRandomized;
        var client = new BlindRsaClient(algorithm, partial.PublicKey);
        byte[] prepared = client.Prepare([1, 2]);
        using var state = client.Blind(prepared, [3]);
        byte[] signature = client.Finalize(state, new BlindRsaSigner(partial).BlindSign(state.BlindedMessage, [3]));
        Assert.True(new BlindRsaVerifier(algorithm, partial.PublicKey).Verify(prepared, signature, [3]));

        Assert.Throws<ArgumentOutOfRangeException>("modulusBits", () => BlindRsaPrivateKey.Generate(1024));
        Assert.Throws<ArgumentOutOfRangeException>("modulusBits", () => BlindRsaPrivateKey.Generate(2050));
    }

    [Fact]
    public void ExportRequiresAnExportableKey()
    {
        using var key = BlindRsaPrivateKey.ImportPkcs8(Source.ExportPkcs8());
        Assert.Throws<InvalidOperationException>(() => key.ExportPkcs8());
        Assert.Throws<InvalidOperationException>(() => key.ExportPkcs1Pem());
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.ExportPkcs8());
    }

    [Fact]
    public void ToStringShowsNoSecret()
    {
        var key = Source;
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(key.ExportPkcs8(), out _);
        var parameters = rsa.ExportParameters(true);
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssRandomized, key.PublicKey);
        using var state = client.Blind([1, 2, 3]);
        foreach (string text in new[] { key.ToString(), key.PublicKey.ToString(), state.ToString() })
        {
            foreach (var secret in new[] { parameters.D!, parameters.P!, parameters.Q!, parameters.DP!, state.Inverse.ToArray() })
            {
                Assert.DoesNotContain(Convert.ToHexString(secret.AsSpan(0, 8)), text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(Convert.ToBase64String(secret.AsSpan(0, 9)), text, StringComparison.Ordinal);
            }
        }
    }

    private static byte[] ExportOf(BlindRsaPrivateKey key) =>
        RsaKeyEncoding.EncodePrivateKey(key.Engine.Key, pkcs8: true);
}
