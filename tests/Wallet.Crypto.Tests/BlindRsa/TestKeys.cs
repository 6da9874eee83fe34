using System.Collections.Concurrent;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Wallet.Crypto.Tests.BlindRsa;

/// <summary>Pre-generated keys (Keys/), loaded once per backend and shared by every test.</summary>
internal static class TestKeys
{
    private static readonly ConcurrentDictionary<(string, RsaBackendKind), BlindRsaPrivateKey> s_keys = new();

    public static readonly RsaBackendKind[] Backends = [RsaBackendKind.OpenSsl, RsaBackendKind.Managed];

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Keys", file);

    /// <summary>An RSABSSA key of 2048, 3072 or 4096 bits.</summary>
    public static BlindRsaPrivateKey Standard(int bits, RsaBackendKind backend) =>
        s_keys.GetOrAdd(($"rsa{bits}", backend), k => BlindRsaPrivateKey.ImportFromPem(File.ReadAllText(PathOf(k.Item1 + ".pem")), BlindRsaScheme.Rsabssa, exportable: true, backend: k.Item2));

    /// <summary>An RSAPBSSA key (safe primes) of 2048 or 3072 bits.</summary>
    public static BlindRsaPrivateKey PartiallyBlind(int bits, RsaBackendKind backend) =>
        s_keys.GetOrAdd(($"pbrsa{bits}", backend), k =>
        {
            var lines = File.ReadAllLines(PathOf(k.Item1 + ".primes")).Where(l => !l.StartsWith('#')).ToArray();
            var p = new BigInteger(lines[0], 16);
            var q = new BigInteger(lines[1], 16);
            return BlindRsaPrivateKey.FromMaterial(RsaKeyMaterial.CreatePrivate(p, q, BigInteger.ValueOf(65537)), BlindRsaScheme.Rsapbssa, k.Item2);
        });

    /// <summary>A 2049-bit RSABSSA key: modulus bits 8k+1, so the encoded message is one byte shorter than n.</summary>
    public static BlindRsaPrivateKey Odd2049(RsaBackendKind backend) =>
        s_keys.GetOrAdd(("rsa2049", backend), k =>
        {
            var lines = File.ReadAllLines(PathOf(k.Item1 + ".primes")).Where(l => !l.StartsWith('#')).ToArray();
            var material = RsaKeyMaterial.CreatePrivate(new BigInteger(lines[0], 16), new BigInteger(lines[1], 16), BigInteger.ValueOf(65537));
            return BlindRsaPrivateKey.FromMaterial(material, BlindRsaScheme.Rsabssa, k.Item2);
        });

    public static BlindRsaPrivateKey For(BlindRsaAlgorithm algorithm, int bits, RsaBackendKind backend) =>
        algorithm.Scheme == BlindRsaScheme.Rsabssa ? Standard(bits, backend) : PartiallyBlind(Math.Min(bits, 3072), backend);

}
