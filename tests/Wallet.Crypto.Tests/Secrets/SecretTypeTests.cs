using System.Text;
using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;

namespace Wallet.Crypto.Tests.Secrets;

/// <summary>
/// One contract for every secret type: <see cref="object.ToString"/> shows no encoding of the secret, and every
/// use after <see cref="IDisposable.Dispose"/> throws <see cref="ObjectDisposedException"/>. To cover a new type,
/// add one entry to <see cref="Cases"/>.
/// </summary>
public sealed class SecretTypeTests
{
    /// <summary>A live secret object, the raw bytes it must never print, and every operation that must refuse after disposal.</summary>
    public sealed record SecretInstance(IDisposable Secret, IReadOnlyList<byte[]> Material, IReadOnlyList<Action> UsesAfterDispose, IReadOnlyList<string>? ExtraForbidden = null);

    private static readonly SignatureDomain Domain = new("PB1/test", 1);
    private static readonly byte[] KeysetId = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private static readonly Dictionary<string, Func<SecretInstance>> Cases = new()
    {
        [nameof(WalletSeed)] = () =>
        {
            var seed = WalletSeed.Generate();
            var bytes = new byte[WalletSeed.Length];
            seed.CopyTo(bytes);
            return new SecretInstance(
                seed,
                [bytes],
                [() => seed.ToBackupCode(), () => seed.CopyTo(new byte[WalletSeed.Length]), () => seed.DeriveCoin(KeysetId, 0), () => seed.SecretEquals(seed)],
                seed.ToBackupCode().Split('-'));
        },
        [nameof(CoinSecrets)] = () =>
        {
            using var seed = WalletSeed.Generate();
            var coin = seed.DeriveCoin(KeysetId, 42);
            return new SecretInstance(
                coin,
                [coin.SigningKeySeed.ToArray(), coin.PssSalt.ToArray(), coin.MessagePrefix.ToArray(), coin.BlindingKey.ToArray()],
                [() => _ = coin.SigningKey, () => _ = coin.PssSalt.Length, () => _ = coin.MessagePrefix.Length, () => coin.DeriveBlindingFactor([0x0b], new byte[32], 0, new byte[1])]);
        },
        [nameof(Ed25519SigningKey)] = () =>
        {
            var key = Ed25519SigningKey.Generate(exportable: true);
            var seed = new byte[Ed25519SigningKey.SeedLength];
            key.ExportSeed(seed);
            return new SecretInstance(key, [seed], [() => key.Sign(Domain, "m"u8), () => key.ExportSeed(new byte[Ed25519SigningKey.SeedLength])]);
        },
        [nameof(CoinSecrets) + "." + nameof(CoinSecrets.SigningKey)] = () =>
        {
            using var seed = WalletSeed.Generate();
            var coin = seed.DeriveCoin(KeysetId, 7);
            Ed25519SigningKey key = coin.SigningKey;
            return new SecretInstance(coin, [coin.SigningKeySeed.ToArray()], [() => key.Sign(Domain, "m"u8)]);
        },
        [nameof(BlindRsaPrivateKey)] = () =>
        {
            string pem = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Keys", "rsa2048.pem"));
            var key = BlindRsaPrivateKey.ImportFromPem(pem, exportable: true);
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            var p = rsa.ExportParameters(true);
            var blinded = BlindedMessage.FromBytes(new byte[255].Prepend((byte)1).ToArray());
            return new SecretInstance(
                key,
                [p.D!, p.P!, p.Q!, p.DP!, p.DQ!, p.InverseQ!],
                [() => key.ExportPkcs8(), () => key.ExportPkcs1Pem(), () => new BlindRsaSigner(key).BlindSign(blinded), () => _ = key.Backend]);
        },
        [nameof(BlindingState)] = () =>
        {
            string pem = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Keys", "rsa2048.pem"));
            using var key = BlindRsaPrivateKey.ImportFromPem(pem, backend: RsaBackendKind.Managed);
            var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssRandomized, key.PublicKey);
            byte[] prepared = client.Prepare("coin"u8);
            var state = client.Blind(prepared);
            var blindSignature = new BlindRsaSigner(key).BlindSign(state.BlindedMessage);
            return new SecretInstance(
                state,
                [state.Inverse.ToArray(), prepared],
                [() => client.Finalize(state, blindSignature), () => state.ExportPreparedMessage()]);
        },
        [nameof(BlindingState) + "." + nameof(BlindingState.FromInverse)] = () =>
        {
            string pem = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Keys", "rsa2048.pem"));
            using var key = BlindRsaPrivateKey.ImportFromPem(pem, backend: RsaBackendKind.Managed);
            var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssRandomized, key.PublicKey);
            byte[] prepared = client.Prepare("coin"u8);
            using var blinded = client.Blind(prepared);
            byte[] inverse = blinded.Inverse.ToArray();
            var state = BlindingState.FromInverse(client.Algorithm, key.PublicKey, prepared, blinded.BlindedMessage, inverse);
            var blindSignature = new BlindRsaSigner(key).BlindSign(state.BlindedMessage);
            return new SecretInstance(
                state,
                [inverse, prepared],
                [() => client.Finalize(state, blindSignature), () => state.ExportPreparedMessage()]);
        },
    };

    public static TheoryData<string> SecretTypes => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(SecretTypes))]
    public void ToStringRevealsNoEncodingOfTheSecret(string name)
    {
        SecretInstance instance = Cases[name]();
        try
        {
            AssertNothingSecretIn(instance.Secret.ToString()!, instance);
            instance.Secret.Dispose();
            AssertNothingSecretIn(instance.Secret.ToString()!, instance);
        }
        finally
        {
            instance.Secret.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(SecretTypes))]
    public void UseAfterDisposeThrowsObjectDisposed(string name)
    {
        SecretInstance instance = Cases[name]();
        instance.Secret.Dispose();

        Assert.NotEmpty(instance.UsesAfterDispose);
        foreach (Action use in instance.UsesAfterDispose)
        {
            Assert.Throws<ObjectDisposedException>(use);
        }

        instance.Secret.Dispose();
    }

    private static void AssertNothingSecretIn(string text, SecretInstance instance)
    {
        foreach (byte[] secret in instance.Material)
        {
            foreach (string forbidden in Encodings(secret))
            {
                Assert.DoesNotContain(forbidden, text, StringComparison.OrdinalIgnoreCase);
            }
        }

        foreach (string forbidden in instance.ExtraForbidden ?? [])
        {
            if (forbidden.Length >= 4)
            {
                Assert.DoesNotContain(forbidden, text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    // Hex, base64 (standard and URL-safe) and base32 of the whole secret and of every window of 8 bytes or
    // more that an encoder could print on its own, so a ToString that shows part of a key fails as well.
    private static IEnumerable<string> Encodings(byte[] secret)
    {
        string hex = Convert.ToHexString(secret);
        for (int i = 0; i + 16 <= hex.Length; i += 2)
        {
            yield return hex.Substring(i, 16);
        }

        foreach (string base64 in new[] { Convert.ToBase64String(secret), Convert.ToBase64String(secret).Replace('+', '-').Replace('/', '_') })
        {
            for (int i = 0; i + 12 <= base64.Length; i += 4)
            {
                yield return base64.Substring(i, 12);
            }
        }

        foreach (string base32 in new[] { Base32(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), Base32(secret, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") })
        {
            for (int i = 0; i + 16 <= base32.Length; i += 8)
            {
                yield return base32.Substring(i, 16);
            }
        }
    }

    private static string Base32(byte[] data, string alphabet)
    {
        var text = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (byte b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                text.Append(alphabet[(buffer >> bits) & 31]);
                buffer &= (1 << bits) - 1;
            }
        }

        if (bits > 0)
        {
            text.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }
}
