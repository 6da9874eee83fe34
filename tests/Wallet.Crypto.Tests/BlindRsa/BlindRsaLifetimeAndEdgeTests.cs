using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;
using Wallet.Crypto.Seeds;

namespace Wallet.Crypto.Tests.BlindRsa;

/// <summary>Disposal racing with use, buffer aliasing, odd modulus sizes and the binding of seed-derived blinding.</summary>
public sealed class BlindRsaLifetimeAndEdgeTests
{
    public static TheoryData<RsaBackendKind> Backends() => [RsaBackendKind.OpenSsl, RsaBackendKind.Managed];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task DisposingAKeyWhileOtherThreadsSignNeverCorruptsMemory(RsaBackendKind backend)
    {
        // Key rotation in a server: the old key is disposed while requests are still signing with it. Every call must
        // either succeed with a valid signature or fail with ObjectDisposedException; none may touch freed memory.
        byte[] pkcs8 = TestKeys.Standard(2048, RsaBackendKind.Managed).ExportPkcs8();
        for (int round = 0; round < 6; round++)
        {
            var key = BlindRsaPrivateKey.ImportPkcs8(pkcs8, backend: backend);
            var signer = new BlindRsaSigner(key);
            var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssDeterministic, key.PublicKey);
            using var state = client.Blind([(byte)round]);
            byte[] blinded = state.BlindedMessage.ToArray();
            int signed = 0;
            using var started = new CountdownEvent(3);
            var workers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
            {
                var output = new byte[256];
                started.Signal();
                for (int i = 0; i < 200; i++)
                {
                    try
                    {
                        signer.BlindSign(blinded, output);
                        Interlocked.Increment(ref signed);
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            })).ToArray();
            started.Wait();
            await Task.Delay(5 * round);
            key.Dispose();
            await Task.WhenAll(workers);
            Assert.Throws<ObjectDisposedException>(() => signer.BlindSign(blinded, new byte[256]));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void PublicKeyOutlivesThePrivateKeyThatHandedItOut(RsaBackendKind backend)
    {
        byte[] pkcs8 = TestKeys.Standard(2048, RsaBackendKind.Managed).ExportPkcs8();
        var key = BlindRsaPrivateKey.ImportPkcs8(pkcs8, backend: backend);
        var algorithm = BlindRsaAlgorithm.RsaBssaSha384PssRandomized;
        var client = new BlindRsaClient(algorithm, key.PublicKey);
        byte[] prepared = client.Prepare([1]);
        using var state = client.Blind(prepared);
        byte[] signature = client.Finalize(state, new BlindRsaSigner(key).BlindSign(state.BlindedMessage));
        key.Dispose();

        var verifier = new BlindRsaVerifier(algorithm, key.PublicKey);
        Assert.True(verifier.Verify(prepared, signature));

        // Disposing the public key itself is the same on both backends: use afterwards is a caller error.
        key.PublicKey.Dispose();
        Assert.Throws<ObjectDisposedException>(() => verifier.Verify(prepared, signature));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void SigningIntoTheInputBufferIsRefusedNotReportedAsAFault(RsaBackendKind backend)
    {
        var key = TestKeys.Standard(2048, backend);
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssDeterministic, key.PublicKey);
        using var state = client.Blind([2]);
        byte[] buffer = state.BlindedMessage.ToArray();
        Assert.Throws<ArgumentException>("destination", () => new BlindRsaSigner(key).BlindSign(buffer, buffer));
        Assert.Equal(state.BlindedMessage.ToArray(), buffer);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void ModulusOfEightKPlusOneBitsRoundTripsEveryVariant(RsaBackendKind backend)
    {
        var key = TestKeys.Odd2049(backend);
        Assert.Equal(2049, key.ModulusBits);
        foreach (var algorithm in BlindRsaAlgorithm.All.Where(a => a.Scheme == BlindRsaScheme.Rsabssa))
        {
            var client = new BlindRsaClient(algorithm, key.PublicKey);
            byte[] prepared = client.Prepare([3, 4]);
            using var state = client.Blind(prepared);
            byte[] signature = client.Finalize(state, new BlindRsaSigner(key).BlindSign(state.BlindedMessage));
            Assert.True(new BlindRsaVerifier(algorithm, key.PublicKey).Verify(prepared, signature));
            if (algorithm.SaltLength == 48)
            {
                using var rsa = RSA.Create();
                rsa.ImportSubjectPublicKeyInfo(key.PublicKey.ExportSubjectPublicKeyInfo(), out _);
                Assert.True(rsa.VerifyData(prepared, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pss));
            }
        }
    }

    [Fact]
    public void DerivedSigningKeysReportTheirBackend()
    {
        // 2048 and 3072-bit RSAPBSSA keys sign under derived exponents on OpenSSL; above 3072 bits OpenSSL refuses
        // e' longer than 64 bits, and the key says so instead of hiding it.
        var key = TestKeys.PartiallyBlind(2048, RsaBackendKind.OpenSsl);
        Assert.Equal(RsaBackendKind.OpenSsl, key.GetBackend([1, 2, 3]));
        Assert.Equal(RsaBackendKind.Managed, TestKeys.PartiallyBlind(2048, RsaBackendKind.Managed).GetBackend([1, 2, 3]));
        Assert.Throws<ArgumentException>("metadata", () => key.GetBackend(new byte[4097]));
    }

    [Fact]
    public void SeedDerivedBlindingIsBoundToMetadataVariantAndKey()
    {
        // Reusing one r for the same coin under two contexts would let the signer link the requests (z1·m2 = z2·m1).
        using var seed = WalletSeed.Generate();
        using var coin = seed.DeriveCoin(new byte[32], 1);
        byte[] message = coin.SigningKey.PublicKey.Export();
        var partial = TestKeys.PartiallyBlind(2048, RsaBackendKind.Managed);
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaPbssaSha384PssDeterministic, partial.PublicKey);
        using var a = client.PrepareAndBlind(message, coin, [1]);
        using var b = client.PrepareAndBlind(message, coin, [2]);
        using var a2 = client.PrepareAndBlind(message, coin, [1]);
        Assert.False(a.Inverse.SequenceEqual(b.Inverse));
        Assert.True(a.Inverse.SequenceEqual(a2.Inverse));

        var standard = TestKeys.Standard(2048, RsaBackendKind.Managed);
        using var pss = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssDeterministic, standard.PublicKey).PrepareAndBlind(message, coin);
        using var zero = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssZeroDeterministic, standard.PublicKey).PrepareAndBlind(message, coin);
        Assert.False(pss.Inverse.SequenceEqual(zero.Inverse));
        using var otherKey = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssDeterministic, TestKeys.Standard(3072, RsaBackendKind.Managed).PublicKey).PrepareAndBlind(message, coin);
        Assert.False(pss.Inverse[..32].SequenceEqual(otherKey.Inverse[..32]));
    }

    [Fact]
    public void BlindingContextMatchesIndependentComputation()
    {
        // Computed by an independent Python implementation of docs/derivation.md section 4 for the partially blind
        // draft's vector key, its info "metadata" and RSAPBSSA-SHA384-PSS-Deterministic.
        var v = VectorFile.Load("partially-blind-rsa-draft.json")[0];
        using var material = RsaKeyMaterial.CreatePublic(v.Integer("n"), v.Integer("e"));
        using var key = new BlindRsaPublicKey(material, BlindRsaScheme.Rsapbssa, RsaBackendKind.Managed);
        byte[] context = BlindingContext.Compute(BlindRsaAlgorithm.RsaPbssaSha384PssDeterministic, key, v.Bytes("info"));
        Assert.Equal("1cb185f8974edcfd3209b57232b285362a4b19dbddaf29b9f91407e1e3c04751", Convert.ToHexStringLower(context));
    }

    [Fact]
    public void OversizedMetadataIsACallerError()
    {
        var key = TestKeys.PartiallyBlind(2048, RsaBackendKind.Managed);
        var algorithm = BlindRsaAlgorithm.RsaPbssaSha384PssDeterministic;
        var huge = new byte[4097];
        Assert.Throws<ArgumentException>("metadata", () => new BlindRsaClient(algorithm, key.PublicKey).Blind([1], huge));
        Assert.Throws<ArgumentException>("metadata", () => new BlindRsaVerifier(algorithm, key.PublicKey).Verify([1], new byte[256], huge));
        Assert.Throws<ArgumentException>("metadata", () => new BlindRsaSigner(key).BlindSign(BlindedMessage.FromBytes(new byte[256]), huge));
    }
}
