using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>Pre-generated RSA keys (linked from the crypto tests); key generation would dominate the run time.</summary>
public static class ProtocolKeys
{
    private static readonly Lazy<BlindRsaPrivateKey> s_rsa2048 = new(() => Load("rsa2048.pem"));
    private static readonly Lazy<BlindRsaPrivateKey> s_rsa3072 = new(() => Load("rsa3072.pem"));
    private static readonly Lazy<BlindRsaPrivateKey> s_partiallyBlind2048 = new(() => FromSafePrimes("pbrsa2048.primes"));

    public static BlindRsaPrivateKey Rsa2048 => s_rsa2048.Value;

    public static BlindRsaPrivateKey Rsa3072 => s_rsa3072.Value;

    /// <summary>A partially blind master key (safe primes), imported through PKCS#8 like an operator would.</summary>
    public static BlindRsaPrivateKey PartiallyBlind2048 => s_partiallyBlind2048.Value;

    private static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Keys", file);

    private static BlindRsaPrivateKey Load(string file) => BlindRsaPrivateKey.ImportFromPem(File.ReadAllText(PathOf(file)));

    private static BlindRsaPrivateKey FromSafePrimes(string file)
    {
        var lines = File.ReadAllLines(PathOf(file)).Where(l => !l.StartsWith('#') && l.Length > 0).ToArray();
        var p = BigInteger.Parse("0" + lines[0], NumberStyles.HexNumber);
        var q = BigInteger.Parse("0" + lines[1], NumberStyles.HexNumber);
        var e = new BigInteger(65537);
        var n = p * q;
        var d = ModInverse(e, (p - 1) * (q - 1));
        int k = (int)((n.GetBitLength() + 7) / 8);
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = Bytes(n, k),
            Exponent = Bytes(e, 3),
            D = Bytes(d, k),
            P = Bytes(p, k / 2),
            Q = Bytes(q, k / 2),
            DP = Bytes(d % (p - 1), k / 2),
            DQ = Bytes(d % (q - 1), k / 2),
            InverseQ = Bytes(ModInverse(q, p), k / 2),
        });
        return BlindRsaPrivateKey.ImportPkcs8(rsa.ExportPkcs8PrivateKey(), BlindRsaScheme.Rsapbssa);
    }

    private static byte[] Bytes(BigInteger value, int length)
    {
        byte[] raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        byte[] padded = new byte[length];
        raw.CopyTo(padded, length - raw.Length);
        return padded;
    }

    private static BigInteger ModInverse(BigInteger a, BigInteger m)
    {
        BigInteger g = m, x = 0, x1 = 1, a1 = a % m;
        while (a1 != 0)
        {
            var quotient = g / a1;
            (g, a1) = (a1, g - (quotient * a1));
            (x, x1) = (x1, x - (quotient * x1));
        }

        return ((x % m) + m) % m;
    }
}
