using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;

namespace Wallet.Crypto.Tests.Seeds;

public sealed class CoinSecretsTests : IDisposable
{
    private static readonly byte[] KeysetId = Convert.FromHexString("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");

    private readonly WalletSeed _seed = WalletSeed.Generate();

    public void Dispose() => _seed.Dispose();

    [Fact]
    public void SameSeedKeysetAndCounterReDeriveTheSameSecrets()
    {
        var bytes = new byte[WalletSeed.Length];
        _seed.CopyTo(bytes);
        using var restored = WalletSeed.FromBytes(bytes);
        using var a = _seed.DeriveCoin(KeysetId, 7);
        using var b = restored.DeriveCoin(KeysetId, 7);
        byte[] n = CoinDerivationVectorTests.Modulus("n2048");
        var ra = new byte[n.Length];
        var rb = new byte[n.Length];
        a.DeriveBlindingFactor(n, CoinDerivationVectorTests.Context, 3, ra);
        b.DeriveBlindingFactor(n, CoinDerivationVectorTests.Context, 3, rb);

        Assert.Equal(a.SigningKey.PublicKey, b.SigningKey.PublicKey);
        Assert.True(a.PssSalt.SequenceEqual(b.PssSalt));
        Assert.True(a.MessagePrefix.SequenceEqual(b.MessagePrefix));
        Assert.Equal(ra, rb);
    }

    [Fact]
    public void DifferentCountersKeysetsAndSeedsGiveUnrelatedSecrets()
    {
        using var other = WalletSeed.Generate();
        using var baseline = _seed.DeriveCoin(KeysetId, 1);
        byte[] otherKeyset = (byte[])KeysetId.Clone();
        otherKeyset[^1] ^= 1;
        var variants = new[]
        {
            _seed.DeriveCoin(KeysetId, 2),
            _seed.DeriveCoin(KeysetId, 1UL << 32 | 1),
            _seed.DeriveCoin(otherKeyset, 1),
            _seed.DeriveCoin(KeysetId.AsSpan(0, 31), 1),
            other.DeriveCoin(KeysetId, 1),
        };
        try
        {
            foreach (var v in variants)
            {
                Assert.NotEqual(baseline.SigningKey.PublicKey, v.SigningKey.PublicKey);
                Assert.False(baseline.PssSalt.SequenceEqual(v.PssSalt));
                Assert.False(baseline.MessagePrefix.SequenceEqual(v.MessagePrefix));
                Assert.False(baseline.BlindingKey.SequenceEqual(v.BlindingKey));
            }
        }
        finally
        {
            foreach (var v in variants)
            {
                v.Dispose();
            }
        }
    }

    [Fact]
    public void PublicKeyIsTheSigningKeysPublicHalfAndTheCoinId()
    {
        for (ulong counter = 0; counter < 20; counter++)
        {
            using var coin = _seed.DeriveCoin(KeysetId, counter);
            byte[] publicKey = coin.PublicKey.ToArray();

            Assert.Equal(_seed.DeriveCoinId(KeysetId, counter), publicKey);
            Assert.Equal(coin.SigningKey.PublicKey.Export(), publicKey);
        }
    }

    [Fact]
    public void ValuesOfOneCoinAreDistinct()
    {
        using var coin = _seed.DeriveCoin(KeysetId, 0);

        Assert.False(coin.SigningKeySeed.SequenceEqual(coin.MessagePrefix));
        Assert.False(coin.SigningKeySeed.SequenceEqual(coin.BlindingKey));
        Assert.False(coin.MessagePrefix.SequenceEqual(coin.BlindingKey));
        Assert.False(coin.PssSalt[..32].SequenceEqual(coin.SigningKeySeed));
    }

    [Fact]
    public void CoinKeySignsInItsDomain()
    {
        var spend = new SignatureDomain("PB1/coin-spend", 1);
        using var coin = _seed.DeriveCoin(KeysetId, 0);

        byte[] signature = coin.SigningKey.Sign(spend, "payment"u8);

        Assert.True(coin.SigningKey.PublicKey.Verify(spend, "payment"u8, signature));
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property BlindingFactorIsInRangeForAnyModulus()
    {
        var moduli = Gen.Choose(1, 40)
            .SelectMany(len => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(len))
            .Where(n => new BigInteger(n, isUnsigned: true, isBigEndian: true) >= 2);
        var cases = Gen.Zip(moduli, Gen.Choose(0, 1000)).ToArbitrary();
        return Prop.ForAll(cases, c =>
        {
            using var coin = _seed.DeriveCoin(KeysetId, 0);
            var r = new byte[c.Item1.Length];
            coin.DeriveBlindingFactor(c.Item1, CoinDerivationVectorTests.Context, (uint)c.Item2, r);
            var value = new BigInteger(r, isUnsigned: true, isBigEndian: true);
            var n = new BigInteger(c.Item1, isUnsigned: true, isBigEndian: true);
            return value >= 1 && value < n;
        });
    }

    [Fact]
    public void BlindingFactorIsUniformOverASmallModulus()
    {
        // n = 5 (3 bits): rejection sampling must hit 1..4 about equally often; masking alone would not reject 5..7.
        // A fixed seed keeps the test deterministic.
        using var seed = WalletSeed.FromBytes(new byte[WalletSeed.Length]);
        using var coin = seed.DeriveCoin(KeysetId, 0);
        var counts = new int[5];
        var r = new byte[1];
        const int Draws = 4000;
        for (uint attempt = 0; attempt < Draws; attempt++)
        {
            coin.DeriveBlindingFactor([5], CoinDerivationVectorTests.Context, attempt, r);
            counts[r[0]]++;
        }

        Assert.Equal(0, counts[0]);
        foreach (int count in counts[1..])
        {
            // Expected 1000 each; 5 standard deviations is about 137.
            Assert.InRange(count, 860, 1140);
        }
    }

    [Fact]
    public void AttemptsGiveDifferentCandidates()
    {
        using var coin = _seed.DeriveCoin(KeysetId, 0);
        byte[] n = CoinDerivationVectorTests.Modulus("n2048");
        var r0 = new byte[n.Length];
        var r1 = new byte[n.Length];

        coin.DeriveBlindingFactor(n, CoinDerivationVectorTests.Context, 0, r0);
        coin.DeriveBlindingFactor(n, CoinDerivationVectorTests.Context, 1, r1);

        Assert.NotEqual(r0, r1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("0000")]
    [InlineData("01")]
    [InlineData("000001")]
    public void BlindingFactorForModulusBelowTwoThrows(string modulus)
    {
        using var coin = _seed.DeriveCoin(KeysetId, 0);
        byte[] n = Convert.FromHexString(modulus);

        var ex = Assert.Throws<ArgumentException>(() => coin.DeriveBlindingFactor(n, CoinDerivationVectorTests.Context, 0, new byte[n.Length]));
        Assert.Equal("modulus", ex.ParamName);
    }

    [Fact]
    public void BlindingFactorForOversizedModulusThrows()
    {
        using var coin = _seed.DeriveCoin(KeysetId, 0);
        var n = new byte[8161];
        n[0] = 1;

        var ex = Assert.Throws<ArgumentException>(() => coin.DeriveBlindingFactor(n, CoinDerivationVectorTests.Context, 0, new byte[n.Length]));
        Assert.Equal("modulus", ex.ParamName);
    }

    [Theory]
    [InlineData(255)]
    [InlineData(257)]
    public void BlindingFactorIntoWrongLengthThrows(int length)
    {
        using var coin = _seed.DeriveCoin(KeysetId, 0);

        var ex = Assert.Throws<ArgumentException>(() => coin.DeriveBlindingFactor(CoinDerivationVectorTests.Modulus("n2048"), CoinDerivationVectorTests.Context, 0, new byte[length]));
        Assert.Equal("destination", ex.ParamName);
    }

    [Fact]
    public void DisposedSecretsRefuseEveryUse()
    {
        var coin = _seed.DeriveCoin(KeysetId, 0);
        Ed25519SigningKey key = coin.SigningKey;
        coin.Dispose();

        Assert.Throws<ObjectDisposedException>(() => coin.SigningKey);
        Assert.Throws<ObjectDisposedException>(() => coin.PssSalt.Length);
        Assert.Throws<ObjectDisposedException>(() => coin.MessagePrefix.Length);
        Assert.Throws<ObjectDisposedException>(() => coin.DeriveBlindingFactor([0x0b], CoinDerivationVectorTests.Context, 0, new byte[1]));
        Assert.Throws<ObjectDisposedException>(() => key.Sign(new SignatureDomain("PB1/coin-spend", 1), "x"u8));
        Assert.True(coin.SigningKeySeed.IndexOfAnyExcept((byte)0) < 0);
        Assert.True(coin.BlindingKey.IndexOfAnyExcept((byte)0) < 0);
        coin.Dispose();
    }
}
