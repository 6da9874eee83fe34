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
    // ones force rejections ("8001", "0101") and leading zero bytes ("00010001"). The blinding context is the 32
    // bytes 0x40..0x5f.
    public static TheoryData<string, uint, string> BlindingFactorVectors => new()
    {
        { "n2048", 0u, "bf4b0587492327df772c20eb258c20bdadfec6ddfb15445c23fc4460f89d1475f21d353deebe17e8a96baad4ea61354a5274446d1bcf2212376fa108ec1ae9747632c7bcba7c74faf68c0c9bf18fd93a37c65cb567f91d37e24a2030d8afe55e056fddc799f238128056c70dbd7bc83eba7b82f303c0bea18d1bfa98b6342298036cfe1e4bd06c4e78605fe112a890ad9cfe3edd415a4e8da70942a88890ca405b5bca07cb04e26ef4b65583e8e6f4708e4822ea294dc2271d4aa9a8016b5c48bed2dc2223e17c28442122371df16ca76b0f6f718326cf1df68443d8514615f3623a14cae09620059508d29e355dfc215067c521fa749025c3a2327274da8f01" },
        { "n2048", 1u, "0e13bfe58918f8215572f27b0f6861cf44c2d0b0870e46ca9144349233778d245d52c4bddc947adcc437251cdd5974a27f231a9891dcea2268efbe8b0da018f310cbe5e9ff5eb2ceb858664f54ef642a6a02c9a62d9c3354ace5011304733d42e71f435e6df935e65375f6e54296fe5d90f0bd6eab1eab21e7632b12a921965821d78a5949c813b1faa0905a4779a9a7c590ef164f1d8f441030e05f18abd64cb9f661402e68ed03e1c3215401032284abb67406f5244153ded4681c82e1f672ad7875c30f04c8d1ba8711a53706f76413f0c9eb831eb1958651e060b339786f9e57f5bc9715461dc5933894d7d6ed0a17dad2b3d190ff955998543e141e4b4f" },
        { "n2047", 2u, "4e9c46ba18488c3af7461f679c7d95c064de343aba290bf7c6f2e761bf0a3e71a4225be1445f035cf67ef0de53ba6f8f31b75de7d3ac786aa7b55c94ff1b82905fe9df66be5acf1319ab3fb8b30b876d918eee2ee6eca28fdac7f0ee2394b5126e460df6395253f7787b6c93738fbdba2e4360e0d74a6d30dafdf08cfd9906c66277e130235a5fa2a53847568928c4cfd603ad4c2d8b84929cd398261a2cfc6f84971c549291ac8f1226107d4d5688cd896bfc0ecda4981ad0ed81804a33beb8324a697a3680fd145ff2cff3db23a5f55eb146c826c49160e5a343b306827c031d038dc7021a4260cd0fd5a71ec1a480a069bbc787f7d7aa2224321454e643a8" },
        { "00010001", 0u, "0000d098" },
        { "00010001", 2u, "00002a5d" },
        { "8001", 1u, "4084" },
        { "8001", 2u, "1b20" },
        { "0101", 1u, "0097" },
        { "0101", 2u, "00d7" },
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

        coin.DeriveBlindingFactor(n, Context, attempt, r);

        Assert.Equal(expected, Convert.ToHexStringLower(r));
    }

    /// <summary>The blinding context the vectors use: the bytes 0x40 to 0x5f.</summary>
    internal static byte[] Context => [.. Enumerable.Range(0x40, 32).Select(i => (byte)i)];

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
