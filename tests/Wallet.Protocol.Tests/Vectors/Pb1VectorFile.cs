using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wallet.Crypto.BlindRsa;

namespace Wallet.Protocol.Tests.Vectors;

/// <summary>Reads and writes pb1-vectors.json (layout in Vectors/README.md).</summary>
internal static class Pb1VectorFile
{
    public const string FileName = "pb1-vectors.json";

    /// <summary>Set to 1 to let the generator test rewrite the committed file in the source tree.</summary>
    public const string WriteVariable = "WALLETCORE_WRITE_PB1_VECTORS";

    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        // Names and purposes stay readable (e.g. "Clínica Norte"); the file is data, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The copy next to the test assembly (the committed file, copied at build).</summary>
    public static JsonObject Load() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", FileName)))!.AsObject();

    public static string Serialize(JsonObject file) => file.ToJsonString(s_options) + "\n";

    /// <summary>The committed file in the source tree, next to this source file.</summary>
    public static string SourcePath([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, FileName);

    public static IReadOnlyDictionary<string, byte[]> Ed25519Seeds(JsonObject file) =>
        file["keys"]!["ed25519"]!.AsObject().ToDictionary(k => k.Key, k => Convert.FromHexString(k.Value!["seed"]!.GetValue<string>()));

    public static IEnumerable<JsonObject> Vectors(JsonObject file) => file["vectors"]!.AsArray().Select(v => v!.AsObject());

    public static JsonObject Describe(string name, string type, JsonObject inputs, Pb1Built built)
    {
        var vector = new JsonObject
        {
            ["name"] = name,
            ["type"] = type,
            ["inputs"] = inputs.DeepClone(),
            ["encoded"] = Convert.ToHexStringLower(built.Encoded),
            ["hash_kind"] = built.HashKind,
            ["hash"] = Convert.ToHexStringLower(built.Hash),
        };
        foreach (var (field, value) in built.Extra)
        {
            vector[field] = Convert.ToHexStringLower(value);
        }

        return vector;
    }

    public static JsonObject Keys(IReadOnlyDictionary<string, byte[]> seeds, BlindRsaPrivateKey rsa, byte[] walletSeed)
    {
        var ed25519 = new JsonObject();
        foreach (var (name, seed) in seeds)
        {
            using var key = Crypto.Signing.Ed25519SigningKey.FromSeed(seed);
            ed25519[name] = new JsonObject { ["seed"] = Convert.ToHexStringLower(seed), ["public_key"] = key.PublicKey.ToString() };
        }

        using var parameters = RSA.Create();
        parameters.ImportFromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Keys", Pb1VectorCatalog.RsaKeyName + ".pem")));
        var p = parameters.ExportParameters(includePrivateParameters: true);
        return new JsonObject
        {
            ["ed25519"] = ed25519,
            ["rsa"] = new JsonObject
            {
                [Pb1VectorCatalog.RsaKeyName] = new JsonObject
                {
                    ["n"] = Convert.ToHexStringLower(p.Modulus!),
                    ["e"] = Convert.ToHexStringLower(p.Exponent!),
                    ["p"] = Convert.ToHexStringLower(p.P!),
                    ["q"] = Convert.ToHexStringLower(p.Q!),
                    ["subject_public_key_info"] = Convert.ToHexStringLower(rsa.PublicKey.ExportSubjectPublicKeyInfo()),
                },
            },
            ["wallet_seed"] = Convert.ToHexStringLower(walletSeed),
        };
    }
}
