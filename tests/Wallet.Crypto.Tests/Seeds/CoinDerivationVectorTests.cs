using System.Security.Cryptography;
using Wallet.Crypto.Seeds;

namespace Wallet.Crypto.Tests.Seeds;

/// <summary>
/// Known-answer tests for docs/derivation.md. The expected values were computed by a separate ~40-line Python 3
/// implementation of the spec written from the document (RFC 5869 HKDF with the standard library's hmac and
/// hashlib, no code shared with the C#), run once; the script is not part of the repository.
/// </summary>
public sealed class CoinDerivationVectorTests
{
    public static TheoryData<string, string, ulong, string, string, string, string> CoinVectors => new()
    {
        { "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", 0UL, "991b4a83c110e8cc24d8120343a9ee6ee67b26e3a9ad5abcd9314bd4b62a9357", "760d6fded1e63335bc8717b16b11e9d835d51abc5f0103002d0b6f7329e3fd145ed4f358b8ea398e03328c877377250a", "c9d10bd052aeeaa6a1f2f6e54639af23de6b04bebcc22b930494ff1d2c05c718", "54bf5c84e26d230e13bc1ca3fc41f5074281f916259fac6baee34f8f5400bb34" },
        { "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", 1UL, "748132a88b28e366be7a7d71a657fbb7ee36e8c48c18b857ef2998e2fa3c3d9a", "3319a8997e3da907ad3959418cb6170551cb3c231cacc58eca0da9e464dc7c2c1a5e65b76650d83d5c324932d6c5b61f", "30d9e9017b0f271a926b61029352f44defd57d947b9217f1e9b2480bcb55b612", "1bd7994936db621f976720db8c599d84262219d67723da6518faf996389b43c7" },
        { "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "6b", 18446744073709551614UL, "0acfac14c48d9a68aeb4caf2872a796948e92a10872de44db00ca2ede795fa32", "6e2a3008424fdb0c3767796c1e354957a534d4d71b15bda03e55593323e7c627a5e6b63e36f1b42d496221d611b8d7f1", "6b8ff2614dd7d46f4b345b6ae5bcb96c303bdd9662b318e1e900c8635b4bf754", "7f45d35a78d4a397af18cafe7699a696b645356486ca2749b7beb0de7c17a12c" },
        { "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", 4294967296UL, "0c9821e1bd19f573d78aae87ca29a2641dba8f7069f631bbe0044a5e6352ab7f", "08e77fec3eccbfb947748e02837fd48e80a39483007a2d489d119cee7710093f782eec2802b3857a05787f8a12f8c6e6", "5947127ed75727060a134af886267ba98bc0603fdafa135c62e31af75a5e5b94", "9345b04f7284950b5f1d6e329282186e1054e07257b7a10747629a439de979b3" },
    };

    // Moduli: "n2048" is 0xc0 followed by SHA-512("n") repeated, cut to 256 bytes (a 2048-bit test
    // number, not an RSA key); "n2047" replaces its first byte by 0x5b so the top bit must be masked; the short
    // ones force rejections ("8001", "0101") and leading zero bytes ("00010001").
    public static TheoryData<string, uint, string> BlindingFactorVectors => new()
    {
        { "n2048", 0u, "434449a80f5628ffc6ff356b6ca360e415a77662dc08e2f176fde3cb0829b96681d235cf8d8c04b05f5eb97ab52c08e88f788894bdf00a210478d51dab8bda49cbfde188b5d5ccfd20b8e93db012714eded2dc98c2fba6ff4b092849b827e87252e39d9dd825c9756775be714aa477ccbe4569bce74672d507aa7c7dceabd5ae62e9be3ab1ce5fa5a26983a54496b108b1c53da610b7afb8e116f597c29d2378ce535ca7609a72fd43f9c0262c1f8e8a362c725f2f23d15d5d5e1a33c849a9748bfe685e2636b69864b30ec2b2877d568b0857ce553671aee80a02b6b4d347192b1b16731a6c193518356c40cff5c2645c931b463cc94a120747344f6ac1d5aa" },
        { "n2048", 1u, "1a4f368fded9026c69bc9352309f53faaf6f4c644e0e3ae1302a2c1499e28a2547201a3442a6f787cb9b32354ef0e7d58ef42c495b74ef1c1956a64744a014356ae669b54b08f8d2a91eaa70640e0e4819f67dd67bf2413ab04841182aa3cb0efd37e51772447738118a9ec5462befd196a00a1167354c191a41d75c45c169ea5f0bddeb16ec7dc7606b591298776fb6e9b91e0cc35a777328723b70a9a2a0a258e038dc7e4878a6c3e3ac78837d5626cfd86168f7d9ec32837735ec3f915c7e0ba6470d7788636f8501ca7ebbf3212065c03ad7e5871ed622e51e3de1980e0c57a10b2ae003eece1e6d2ba528349135833fe4ca27e2ecfe68d27056320de3b2" },
        { "n2047", 2u, "16d2918479a92511e8a50778004a49fa944224660506332b8f463b09b6845392e3059077a3204807743742080a478929e7713bb5784cfe4d27e53ddc68c003f87f642defc1425be0a72b8553f5268674d4bcbe401b4e4daf6f4f21637e1e15f9ad03b9c6e3af3edff279967d27351261bc17ae926bfc0d3f0e5a85f5e7e40187e6b8c8d472171a4b0d51a3158ce9aa82f8d59fb4e068053ef76b8ccdeda1bf6a82e5ed38186a45f3b77c73512560069fe36805520315d58ffa65da903801866fe455d58d5979d569b08743f3b3ee2301ffdf2e4856a8d90c3a050a7f5bf4ba72b3497adc402dbe3cb9d5c684c4c926d13695b251084aa18ea4fb95bacd4364c9" },
        { "00010001", 0u, "0000bc16" },
        { "00010001", 2u, "0000143b" },
        { "8001", 1u, "6700" },
        { "8001", 2u, "3095" },
        { "0101", 1u, "0100" },
        { "0101", 2u, "0095" },
    };

    [Fact]
    public void Rfc5869TestCase1()
    {
        // RFC 5869 appendix A.1, through the same System.Security.Cryptography.HKDF the derivation uses.
        byte[] ikm = Convert.FromHexString("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] salt = Convert.FromHexString("000102030405060708090a0b0c");
        byte[] info = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9");
        var prk = new byte[32];
        var okm = new byte[42];

        HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt, prk);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, okm, info);

        Assert.Equal("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", Convert.ToHexStringLower(prk));
        Assert.Equal("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", Convert.ToHexStringLower(okm));
    }

    [Theory]
    [MemberData(nameof(CoinVectors))]
    public void DeriveCoinMatchesVector(string seed, string keysetId, ulong counter, string signingKeySeed, string pssSalt, string messagePrefix, string blindingKey)
    {
        using var walletSeed = WalletSeed.FromBytes(Convert.FromHexString(seed));
        using var coin = walletSeed.DeriveCoin(Convert.FromHexString(keysetId), counter);
        using var expectedKey = Wallet.Crypto.Signing.Ed25519SigningKey.FromSeed(Convert.FromHexString(signingKeySeed));

        Assert.Equal(signingKeySeed, Convert.ToHexStringLower(coin.SigningKeySeed));
        Assert.Equal(expectedKey.PublicKey, coin.SigningKey.PublicKey);
        Assert.Equal(pssSalt, Convert.ToHexStringLower(coin.PssSalt));
        Assert.Equal(messagePrefix, Convert.ToHexStringLower(coin.MessagePrefix));
        Assert.Equal(blindingKey, Convert.ToHexStringLower(coin.BlindingKey));
        Assert.Equal(counter, coin.Counter);
        Assert.Equal(keysetId, Convert.ToHexStringLower(coin.KeysetId));
    }

    [Theory]
    [MemberData(nameof(BlindingFactorVectors))]
    public void DeriveBlindingFactorMatchesVector(string modulus, uint attempt, string expected)
    {
        using var seed = WalletSeed.FromBytes(Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
        using var coin = seed.DeriveCoin(Convert.FromHexString("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"), 0);
        byte[] n = Modulus(modulus);
        var r = new byte[n.Length];

        coin.DeriveBlindingFactor(n, attempt, r);

        Assert.Equal(expected, Convert.ToHexStringLower(r));
    }

    internal static byte[] Modulus(string name)
    {
        byte[] repeated = [0xc0, .. SHA512.HashData("n"u8), .. SHA512.HashData("n"u8), .. SHA512.HashData("n"u8), .. SHA512.HashData("n"u8)];
        return name switch
        {
            "n2048" => repeated[..256],
            "n2047" => [0x5b, .. repeated[1..256]],
            _ => Convert.FromHexString(name),
        };
    }
}
