using NSec.Cryptography;

namespace Wallet.Crypto.Signing;

/// <summary>
/// An Ed25519 private key (RFC 8032) that signs domain-separated structures. The key lives in NSec's guarded
/// memory; <see cref="ToString"/> shows only the public key, and <see cref="Dispose"/> wipes it.
/// </summary>
public sealed class Ed25519SigningKey : IDisposable
{
    /// <summary>Length of the private key seed, in bytes.</summary>
    public const int SeedLength = 32;

    private readonly Key _key;

    private Ed25519SigningKey(Key key)
    {
        _key = key;
        PublicKey = new Ed25519PublicKey(key.PublicKey);
    }

    /// <summary>The matching public key.</summary>
    public Ed25519PublicKey PublicKey { get; }

    /// <summary>Generates a key from the operating system's CSPRNG.</summary>
    /// <param name="exportable">Whether <see cref="ExportSeed"/> may be called (for keys that must be stored).</param>
    /// <returns>A new key.</returns>
    public static Ed25519SigningKey Generate(bool exportable = false) =>
        new(Key.Create(SignatureAlgorithm.Ed25519, Parameters(exportable)));

    /// <summary>Imports a key from its 32-byte seed (the RFC 8032 private key).</summary>
    /// <param name="seed">The 32-byte seed. The caller remains responsible for wiping its own copy.</param>
    /// <param name="exportable">Whether <see cref="ExportSeed"/> may be called.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="seed"/> is not 32 bytes.</exception>
    public static Ed25519SigningKey FromSeed(ReadOnlySpan<byte> seed, bool exportable = false)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedLength} bytes.", nameof(seed));
        }

        return new(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, Parameters(exportable)));
    }

    /// <summary>Signs <paramref name="content"/> in <paramref name="domain"/>.</summary>
    /// <param name="domain">The structure's domain.</param>
    /// <param name="content">The structure's canonical bytes.</param>
    /// <returns>The 64-byte signature.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public byte[] Sign(SignatureDomain domain, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return SignatureAlgorithm.Ed25519.Sign(_key, domain.Frame(content));
    }

    /// <summary>Signs <paramref name="message"/> as it is, with no domain prefix: the C2SP signed-note format fixes the signed bytes.</summary>
    /// <remarks>
    /// Only <c>Wallet.Crypto.Notes</c> calls this, with a note's text (or a cosignature message), which is UTF-8 free of
    /// control characters other than newline. Every framed message starts with a <see cref="SignatureDomain.Prefix"/> that
    /// holds such a byte (the version's high byte, 0x00 for every version below 256), so the two sets of messages are
    /// disjoint and one key can sign both.
    /// </remarks>
    internal byte[] SignUnframed(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    /// <summary>Exports the 32-byte seed into <paramref name="destination"/>; only for keys created exportable.</summary>
    /// <param name="destination">A 32-byte buffer that receives the seed; the caller wipes it.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not 32 bytes.</exception>
    /// <exception cref="InvalidOperationException">The key was not created exportable.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public void ExportSeed(Span<byte> destination)
    {
        if (destination.Length != SeedLength)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedLength} bytes.", nameof(destination));
        }

        if (_key.ExportPolicy != KeyExportPolicies.AllowPlaintextExport)
        {
            throw new InvalidOperationException("This key was not created exportable.");
        }

        byte[] blob = _key.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            blob.CopyTo(destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(blob);
        }
    }

    /// <summary>Wipes the key.</summary>
    public void Dispose() => _key.Dispose();

    /// <summary>Describes the key by its public half only.</summary>
    /// <returns><c>Ed25519SigningKey(public=…)</c>.</returns>
    public override string ToString() => $"Ed25519SigningKey(public={PublicKey})";

    private static KeyCreationParameters Parameters(bool exportable) => new()
    {
        ExportPolicy = exportable ? KeyExportPolicies.AllowPlaintextExport : KeyExportPolicies.None,
    };
}
