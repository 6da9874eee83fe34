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
}
