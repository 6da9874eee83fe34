using System.Security.Cryptography;
using System.Text.Json;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;

namespace Wallet.Crypto.Tests.BlindRsa;

/// <summary>Reads the known-answer vector files copied into Vectors/ (see Vectors/README.md for their sources).</summary>
internal static class VectorFile
{
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Load(string name)
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Vectors", name));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.EnumerateArray()
            .Select(e => (IReadOnlyDictionary<string, string>)e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty))
            .ToList();
    }

    public static byte[] Bytes(this IReadOnlyDictionary<string, string> vector, string field)
    {
        string hex = vector[field];
        if (hex.StartsWith("0x", StringComparison.Ordinal))
        {
            hex = hex[2..];
        }

        return Convert.FromHexString(hex.Length % 2 == 1 ? "0" + hex : hex);
    }

    public static Org.BouncyCastle.Math.BigInteger Integer(this IReadOnlyDictionary<string, string> vector, string field) =>
        new(1, vector.Bytes(field));

    /// <summary>I2OSP(value, length): the field's integer, left-padded with zeros to <paramref name="length"/> bytes.</summary>
    public static byte[] Bytes(this IReadOnlyDictionary<string, string> vector, string field, int length)
    {
        byte[] value = vector.Integer(field).ToByteArrayUnsigned();
        byte[] padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    /// <summary>The vector's public key (n, e), imported through the public SubjectPublicKeyInfo path a consumer would use.</summary>
    public static BlindRsaPublicKey PublicKey(this IReadOnlyDictionary<string, string> vector, BlindRsaScheme scheme, RsaBackendKind backend)
    {
        using var rsa = RSA.Create(new RSAParameters { Modulus = vector.Bytes("n"), Exponent = vector.Bytes("e") });
        return BlindRsaPublicKey.ImportSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), scheme, backend);
    }
}
