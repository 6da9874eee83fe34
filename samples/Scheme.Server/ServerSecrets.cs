using System.Buffers.Text;
using System.Security.Cryptography;

namespace Scheme.Server;

/// <summary>
/// The server's secrets given as configuration values (section <c>SchemeServer:Secrets</c>) instead of files in the
/// data directory: for a deployment that keeps no local files (the environment filled from a secret store, a
/// key-per-file mount, a vault configuration provider). Each one given replaces its file, which is then neither read
/// nor created; one not given is read from its file, or created there, as before. With <c>--postgres</c> and all five
/// given the server creates no directory and writes no file (docs/operations.md "Secrets").
/// </summary>
/// <remarks>
/// Not on the command line, where every user of the machine could read them in the process list. The configuration
/// keeps them as strings, which .NET cannot wipe; the decoded bytes are wiped once the keys are built.
/// </remarks>
internal sealed class ServerSecrets
{
    /// <summary>The scheme's Ed25519 signing key: its 32-byte seed in base64 (the bytes of <c>scheme.ed25519</c>).</summary>
    public string? SchemeKey { get; set; }

    /// <summary>The sample accreditation body's Ed25519 seed in base64 (the bytes of <c>accreditation.ed25519</c>).</summary>
    public string? AccreditationKey { get; set; }

    /// <summary>The Privacy Pass issuer's RSA-2048 key: PKCS#8 DER in base64 (the body of <c>privacy-pass-2048.pem</c>).</summary>
    public string? PrivacyPassKey { get; set; }

    /// <summary>The operator key: 32 bytes in base64url, the text of <c>operator.key</c>.</summary>
    public string? OperatorKey { get; set; }

    /// <summary>The key-encryption key of the sealed keyset keys: 32 bytes in base64 (the bytes of <c>keysets.kek</c>).</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>Whether every secret is given, so that no key file is needed.</summary>
    public bool All => SchemeKey is not null && AccreditationKey is not null && PrivacyPassKey is not null && OperatorKey is not null && KeyEncryptionKey is not null;

    /// <summary>Which secrets are given, by name; never their values.</summary>
    /// <returns>The names of the secrets given.</returns>
    public IEnumerable<string> Given()
    {
        foreach (var (name, value) in Named())
        {
            if (value is not null)
            {
                yield return name;
            }
        }
    }

    /// <summary>What is wrong with a given secret (its name and what it must be, never its value), or null.</summary>
    /// <returns>The problem, or null.</returns>
    public string? Problem()
    {
        foreach (var (name, value) in Named())
        {
            if (value is null)
            {
                continue;
            }

            bool ok = name switch
            {
                nameof(OperatorKey) => Base64Url.IsValid(value.Trim(), out int urlLength) && urlLength == 32,
                nameof(PrivacyPassKey) => Base64.IsValid(value.Trim(), out int derLength) && derLength > 0,
                _ => Base64.IsValid(value.Trim(), out int length) && length == 32,
            };
            if (!ok)
            {
                return name == nameof(PrivacyPassKey)
                    ? $"the secret {Secret(name)} is not base64 (PKCS#8 DER of an RSA key)"
                    : $"the secret {Secret(name)} is not 32 bytes in {(name == nameof(OperatorKey) ? "base64url" : "base64")}";
            }
        }

        return null;
    }

    /// <summary>The configuration key of a secret, as an operator sets it in the environment.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>For example <c>SchemeServer__Secrets__SchemeKey</c>.</returns>
    public static string Secret(string name) => $"{ServerSettings.Section}__Secrets__{name}";

    /// <summary>Decodes a base64 secret, builds what it is the secret of, and wipes the decoded bytes.</summary>
    /// <typeparam name="T">What is built: a key, a key store.</typeparam>
    /// <param name="value">The base64 text (checked by <see cref="Problem"/>).</param>
    /// <param name="build">Builds it from the bytes; must not keep the array.</param>
    /// <returns>What <paramref name="build"/> returned.</returns>
    public static T WithDecoded<T>(string value, Func<byte[], T> build)
    {
        byte[] bytes = Decode(value);
        try
        {
            return build(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Decodes a base64 secret into a fresh array; the caller wipes it.</summary>
    /// <param name="value">The base64 text (checked by <see cref="Problem"/>).</param>
    /// <returns>The bytes.</returns>
    public static byte[] Decode(string value) => Convert.FromBase64String(value.Trim());

    /// <summary>Decodes the base64url operator key (checked by <see cref="Problem"/>).</summary>
    /// <param name="value">The text.</param>
    /// <returns>The 32 bytes.</returns>
    public static byte[] DecodeUrl(string value)
    {
        byte[] buffer = new byte[35];
        try
        {
            return Base64Url.TryDecodeFromChars(value.Trim(), buffer, out int written) && written == 32
                ? buffer[..32]
                : throw new CryptographicException("The operator key is not 32 bytes of base64url.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"ServerSecrets(given: {string.Join(", ", Given())})";

    private IEnumerable<(string Name, string? Value)> Named() =>
    [
        (nameof(SchemeKey), SchemeKey),
        (nameof(AccreditationKey), AccreditationKey),
        (nameof(PrivacyPassKey), PrivacyPassKey),
        (nameof(OperatorKey), OperatorKey),
        (nameof(KeyEncryptionKey), KeyEncryptionKey),
    ];
}
