using System.Text.Json;

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
}
