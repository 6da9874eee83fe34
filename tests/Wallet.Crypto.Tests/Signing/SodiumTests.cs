using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Rfc8032 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace Wallet.Crypto.Tests.Signing;

/// <summary>
/// The direct libsodium calls must accept exactly what the checks they replaced accept: the point check agrees with
/// BouncyCastle's full validation on random bytes, real keys, torsion and mixed-order points and non-canonical
/// encodings; the seed's coin id equals the public key of the coin's signing key.
/// </summary>
public sealed partial class SodiumTests
{
    // A point of order 8 (RFC 8032's curve has cofactor 8): added to a key, it gives a point on the curve outside the
    // prime-order subgroup, which a full validation must refuse.
    private static readonly byte[] OrderEight = Convert.FromHexString("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");

    [Fact]
    public void PointCheckAgreesWithBouncyCastleOnRandomBytes()
    {
        var bytes = new byte[32];
        int accepted = 0;
        for (int i = 0; i < 20_000; i++)
        {
            RandomNumberGenerator.Fill(bytes);
            bool reference = Rfc8032.ValidatePublicKeyFull(bytes, 0);
            Assert.True(reference == Sodium.IsValidPoint(bytes), Convert.ToHexStringLower(bytes));
            accepted += reference ? 1 : 0;
        }

        // About one string in sixteen is a point of the subgroup: both outcomes were exercised.
        Assert.InRange(accepted, 500, 2_500);
    }

    [Fact]
    public void RealKeysAreValidAndAddingTorsionMakesThemInvalid()
    {
        Assert.False(Sodium.IsValidPoint(OrderEight));
        Assert.False(Rfc8032.ValidatePublicKeyFull(OrderEight, 0));
        var mixed = new byte[32];
        for (int i = 0; i < 200; i++)
        {
            using var key = Ed25519SigningKey.Generate();
            byte[] point = key.PublicKey.Export();
            Assert.True(Sodium.IsValidPoint(point));
            Assert.True(Rfc8032.ValidatePublicKeyFull(point, 0));

            Assert.Equal(0, AddPoints(mixed, point, OrderEight));
            Assert.False(Sodium.IsValidPoint(mixed));
            Assert.False(Rfc8032.ValidatePublicKeyFull(mixed, 0));
            Assert.False(Ed25519PublicKey.TryImport(mixed, out _));
        }
    }

    [Theory]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")] // the identity
    [InlineData("0100000000000000000000000000000000000000000000000000000000000080")] // the identity with x's sign set
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // y = -1, order 2
    [InlineData("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // y = p + 1: not canonical
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // y = p: not canonical
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")] // order 4
    [InlineData("0000000000000000000000000000000000000000000000000000000000000080")] // order 4, sign set
    public void EdgeEncodingsAreRefusedByBoth(string hex)
    {
        byte[] point = Convert.FromHexString(hex);
        Assert.False(Rfc8032.ValidatePublicKeyFull(point, 0));
        Assert.False(Sodium.IsValidPoint(point));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void WrongLengthsAreNotPoints(int length) => Assert.False(Sodium.IsValidPoint(new byte[length]));

    [Fact]
    public void CoinIdIsThePublicKeyOfTheCoinsSigningKey()
    {
        using var seed = WalletSeed.Generate();
        byte[][] keysets = [[1], RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(300)];
        foreach (byte[] keyset in keysets)
        {
            foreach (ulong counter in new ulong[] { 0, 1, 2, 77, ulong.MaxValue })
            {
                using var secrets = seed.DeriveCoin(keyset, counter);
                Assert.Equal(secrets.SigningKey.PublicKey.Export(), seed.DeriveCoinId(keyset, counter));
            }
        }

        Assert.NotEqual(seed.DeriveCoinId([1], 0), seed.DeriveCoinId([1], 1));
        Assert.NotEqual(seed.DeriveCoinId([1], 0), seed.DeriveCoinId([2], 0));
    }

    [Fact]
    public void CoinIdRefusesBadKeysetIdsAndADisposedSeed()
    {
        var seed = WalletSeed.Generate();
        Assert.Throws<ArgumentException>(() => seed.DeriveCoinId([], 0));
        Assert.Throws<ArgumentException>(() => seed.DeriveCoinId(new byte[65_536], 0));
        seed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => seed.DeriveCoinId([1], 0));
    }

    [Fact]
    public void PublicKeyFromSeedRefusesWrongLengths()
    {
        Assert.Throws<ArgumentException>(() => Sodium.PublicKeyFromSeed(new byte[31], new byte[32]));
        Assert.Throws<ArgumentException>(() => Sodium.PublicKeyFromSeed(new byte[32], new byte[31]));
    }

    [LibraryImport("libsodium", EntryPoint = "crypto_core_ed25519_add")]
    private static partial int AddPoints(Span<byte> result, ReadOnlySpan<byte> p, ReadOnlySpan<byte> q);
}
