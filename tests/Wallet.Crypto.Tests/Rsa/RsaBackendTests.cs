using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;
using Wallet.Crypto.Tests.BlindRsa;

namespace Wallet.Crypto.Tests.Rsa;

/// <summary>Backend selection, the OpenSSL self-test and thread safety of one key used from many threads.</summary>
public sealed class RsaBackendTests
{
    [Fact]
    public void OpenSslBackendPassesItsSelfTestOnThisPlatform()
    {
        // The CI machine is Linux with OpenSSL 3; if this fails the fast backend silently disappeared.
        Assert.True(RsaBackends.IsOpenSslAvailable, RsaBackends.OpenSslUnavailableReason);
        Assert.Null(RsaBackends.OpenSslUnavailableReason);
    }

    [Fact]
    public void KeysUseTheBackendTheyAskFor()
    {
        Assert.Equal(RsaBackendKind.OpenSsl, TestKeys.Standard(2048, RsaBackendKind.OpenSsl).Backend);
        Assert.Equal(RsaBackendKind.Managed, TestKeys.Standard(2048, RsaBackendKind.Managed).Backend);
        Assert.Equal(RsaBackendKind.OpenSsl, TestKeys.Standard(2048, RsaBackendKind.OpenSsl).PublicKey.Backend);
    }

    [Theory]
    [InlineData("managed", RsaBackendKind.Managed)]
    [InlineData(" Managed ", RsaBackendKind.Managed)]
    [InlineData("openssl", RsaBackendKind.OpenSsl)]
    [InlineData("auto", RsaBackendKind.OpenSsl)]
    [InlineData("", RsaBackendKind.OpenSsl)]
    [InlineData(null, RsaBackendKind.OpenSsl)]
    public void EnvironmentSettingChoosesTheDefaultBackend(string? setting, RsaBackendKind expected)
    {
        Assert.Equal(expected, RsaBackends.ChooseDefault(setting));
    }

    [Fact]
    public void UnknownEnvironmentSettingIsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => RsaBackends.ChooseDefault("fast"));
    }

    [Theory]
    [InlineData(RsaBackendKind.OpenSsl)]
    [InlineData(RsaBackendKind.Managed)]
    public async Task OneKeySignsCorrectlyFromManyThreads(RsaBackendKind backend)
    {
        var key = TestKeys.Standard(2048, backend);
        var signer = new BlindRsaSigner(key);
        var algorithm = BlindRsaAlgorithm.RsaBssaSha384PssRandomized;
        var client = new BlindRsaClient(algorithm, key.PublicKey);
        var verifier = new BlindRsaVerifier(algorithm, key.PublicKey);
        var tasks = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            for (int j = 0; j < 8; j++)
            {
                byte[] prepared = client.Prepare([(byte)i, (byte)j]);
                using var state = client.Blind(prepared);
                byte[] signature = client.Finalize(state, signer.BlindSign(state.BlindedMessage));
                Assert.True(verifier.Verify(prepared, signature));
            }
        }));
        await Task.WhenAll(tasks);
    }

    [Theory]
    [InlineData(RsaBackendKind.OpenSsl)]
    [InlineData(RsaBackendKind.Managed)]
    public void CrtPrivateOperationMatchesPlainExponentiationWhicheverPrimeComesFirst(RsaBackendKind backend)
    {
        var lines = File.ReadAllLines(TestKeys.PathOf("pbrsa2048.primes")).Where(l => !l.StartsWith('#')).ToArray();
        var p = new Org.BouncyCastle.Math.BigInteger(lines[0], 16);
        var q = new Org.BouncyCastle.Math.BigInteger(lines[1], 16);
        var e = Org.BouncyCastle.Math.BigInteger.ValueOf(65537);
        foreach (var (a, b) in new[] { (p, q), (q, p) })
        {
            using var key = RsaKeyMaterial.CreatePrivate(a, b, e);

            // The CRT exponents belong to the primes they are stored with, whatever order the caller gave them in.
            Assert.Equal(key.D.Mod(key.P.Subtract(Org.BouncyCastle.Math.BigInteger.One)), key.DP);
            Assert.Equal(key.D.Mod(key.Q.Subtract(Org.BouncyCastle.Math.BigInteger.One)), key.DQ);
            Assert.Equal(Org.BouncyCastle.Math.BigInteger.One, key.Q.Multiply(key.QInv).Mod(key.P));
            using var engine = RsaBackends.CreateEngine(key, backend);
            Assert.Equal(backend, engine.Kind);
            var x = RsaIntegers.RandomBelow(key.N);
            byte[] output = new byte[key.ModulusLength];
            engine.Private(RsaIntegers.ToBytes(x, key.ModulusLength), output);
            Assert.Equal(RsaIntegers.ToBytes(x.ModPow(key.D, key.N), key.ModulusLength), output);
        }
    }

    [Fact]
    public void OpenSslInverseAgreesWithTheManagedOneAndRefusesANumberWithoutOne()
    {
        var (p, q) = PrimesOfTheTestKey();
        var n = p.Multiply(q);
        int length = (n.BitLength + 7) / 8;
        byte[] modulus = RsaIntegers.ToBytes(n, length);
        for (int i = 0; i < 50; i++)
        {
            var a = RsaIntegers.RandomBelow(n);
            byte[] inverse = new byte[length];
            Assert.True(LibCrypto.TryModInverse(RsaIntegers.ToBytes(a, length), modulus, inverse));
            Assert.Equal(RsaIntegers.ToBytes(a.ModInverse(n), length), inverse);
        }

        // A multiple of a prime factor has no inverse; nothing is written.
        foreach (var noInverse in new[] { p, q, p.Multiply(Org.BouncyCastle.Math.BigInteger.Two), Org.BouncyCastle.Math.BigInteger.Zero })
        {
            byte[] untouched = new byte[length];
            Assert.False(LibCrypto.TryModInverse(RsaIntegers.ToBytes(noInverse, length), modulus, untouched));
            Assert.All(untouched, b => Assert.Equal(0, b));
        }
    }

    [Theory]
    [InlineData(RsaBackendKind.OpenSsl)]
    [InlineData(RsaBackendKind.Managed)]
    public void ABlindingFactorSharingAFactorWithTheModulusIsRefusedOnEitherBackend(RsaBackendKind backend)
    {
        var (p, q) = PrimesOfTheTestKey();
        using var key = BlindRsaPrivateKey.FromMaterial(
            RsaKeyMaterial.CreatePrivate(p, q, Org.BouncyCastle.Math.BigInteger.ValueOf(65537)), BlindRsaScheme.Rsabssa, backend);
        var algorithm = BlindRsaAlgorithm.RsaBssaSha384PssRandomized;
        var client = new BlindRsaClient(algorithm, key.PublicKey);
        byte[] prepared = client.Prepare([1, 2, 3]);
        byte[] salt = new byte[algorithm.SaltLength];

        var refused = Assert.Throws<BlindRsaException>(() => client.BlindCore(prepared, default, salt, q));
        Assert.Equal(BlindRsaError.BlindingInverseFailure, refused.Error);

        // The same call with an invertible r blinds, and the state's inverse is r^-1 mod n.
        var r = Org.BouncyCastle.Math.BigInteger.ValueOf(12345);
        using var state = client.BlindCore(prepared, default, salt, r);
        Assert.Equal(RsaIntegers.ToBytes(r.ModInverse(key.PublicKey.Material.N), key.PublicKey.ModulusLength), state.Inverse.ToArray());
    }

    [Fact]
    public void PublicKeysWithTheSameModulusShareOneEngineAndDisposingOneLeavesTheOtherWorking()
    {
        var (p, q) = PrimesOfTheTestKey();
        using var material = RsaKeyMaterial.CreatePrivate(p, q, Org.BouncyCastle.Math.BigInteger.ValueOf(65537));
        var publicMaterial = material.ToPublic();
        var first = RsaBackends.CreateEngine(publicMaterial, RsaBackendKind.OpenSsl);
        int shared = SharedPublicEngines.Count;
        using var second = RsaBackends.CreateEngine(material.ToPublic(), RsaBackendKind.OpenSsl);
        Assert.Equal(shared, SharedPublicEngines.Count);
        Assert.Equal(RsaBackendKind.OpenSsl, second.Kind);

        var x = RsaIntegers.RandomBelow(material.N);
        byte[] input = RsaIntegers.ToBytes(x, material.ModulusLength);
        byte[] expected = RsaIntegers.ToBytes(x.ModPow(material.E, material.N), material.ModulusLength);
        byte[] output = new byte[material.ModulusLength];
        first.Public(input, output);
        Assert.Equal(expected, output);

        first.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.Public(input, output));
        Array.Clear(output);
        second.Public(input, output);
        Assert.Equal(expected, output);
        Assert.Throws<InvalidOperationException>(() => second.Private(input, output));

        // A private key is never shared: its engine is its own.
        using var own = RsaBackends.CreateEngine(material, RsaBackendKind.OpenSsl);
        Assert.Equal(shared, SharedPublicEngines.Count);
        own.Private(expected, output);
        Assert.Equal(input, output);
    }

    private static (Org.BouncyCastle.Math.BigInteger P, Org.BouncyCastle.Math.BigInteger Q) PrimesOfTheTestKey()
    {
        var lines = File.ReadAllLines(TestKeys.PathOf("pbrsa2048.primes")).Where(l => !l.StartsWith('#')).ToArray();
        return (new Org.BouncyCastle.Math.BigInteger(lines[0], 16), new Org.BouncyCastle.Math.BigInteger(lines[1], 16));
    }
}
