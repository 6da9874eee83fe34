using NSec.Cryptography;

namespace Wallet.Crypto.Signing;

/// <summary>An Ed25519 public key that verifies domain-separated signatures (RFC 8032).</summary>
public sealed class Ed25519PublicKey : IEquatable<Ed25519PublicKey>
{
    /// <summary>Length of an encoded public key, in bytes.</summary>
    public const int Length = 32;

    /// <summary>Length of a signature, in bytes.</summary>
    public const int SignatureLength = 64;

    private readonly byte[] _bytes;
    private readonly PublicKey _key;

    private Ed25519PublicKey(byte[] bytes, PublicKey key)
    {
        _bytes = bytes;
        _key = key;
    }

    internal Ed25519PublicKey(PublicKey key)
        : this(key.Export(KeyBlobFormat.RawPublicKey), key)
    {
    }

    /// <summary>Imports a raw 32-byte public key.</summary>
    /// <param name="publicKey">The RFC 8032 encoding of the key.</param>
    /// <returns>The key.</returns>
    /// <remarks>The checks are those of <see cref="TryImport"/>.</remarks>
    /// <exception cref="CryptographicException">The bytes are not a valid Ed25519 public key.</exception>
    public static Ed25519PublicKey Import(ReadOnlySpan<byte> publicKey) =>
        TryImport(publicKey, out var key) ? key : throw new CryptographicException("Not a valid Ed25519 public key.");

    /// <summary>Imports a raw 32-byte public key, returning <see langword="false"/> if it is malformed.</summary>
    /// <remarks>
    /// A key is accepted only if it is the canonical encoding of a point on the curve in the prime-order subgroup
    /// (RFC 8032 section 5.1.3 decoding, plus a check that excludes small-order and mixed-order points): NSec
    /// itself copies any 32 bytes, so without this check garbage would import and only fail later, and a
    /// small-order key would let one signature verify for many messages.
    /// </remarks>
    /// <param name="publicKey">The RFC 8032 encoding of the key.</param>
    /// <param name="key">The key, when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the bytes were a valid key.</returns>
    public static bool TryImport(ReadOnlySpan<byte> publicKey, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Ed25519PublicKey? key)
    {
        key = null;
        if (publicKey.Length != Length ||
            !Sodium.IsValidPoint(publicKey) ||
            !PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out PublicKey? imported) ||
            imported is null)
        {
            return false;
        }

        key = new Ed25519PublicKey(publicKey.ToArray(), imported);
        return true;
    }

    /// <summary>Returns a copy of the 32-byte encoding.</summary>
    /// <returns>The raw public key.</returns>
    public byte[] Export() => (byte[])_bytes.Clone();

    /// <summary>The 32-byte encoding, without copying.</summary>
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    /// <summary>Verifies a signature over <paramref name="content"/> in <paramref name="domain"/>.</summary>
    /// <param name="domain">The domain the signer used.</param>
    /// <param name="content">The structure's canonical bytes.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns><see langword="true"/> if the signature is valid; <see langword="false"/> for any other signature, including one of the wrong length.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is <see langword="null"/>.</exception>
    public bool Verify(SignatureDomain domain, ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (signature.Length != SignatureLength)
        {
            return false;
        }

        return SignatureAlgorithm.Ed25519.Verify(_key, domain.Frame(content), signature);
    }

    /// <summary>Verifies a signature over <paramref name="message"/> as it is, with no domain prefix (signed notes only).</summary>
    internal bool VerifyUnframed(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureLength && SignatureAlgorithm.Ed25519.Verify(_key, message, signature);

    /// <inheritdoc />
    public bool Equals(Ed25519PublicKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Ed25519PublicKey);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    /// <summary>Returns the key in lower-case hex.</summary>
    /// <returns>The hex encoding of the public key.</returns>
    public override string ToString() => Convert.ToHexStringLower(_bytes);
}
