using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.SealedFiles;
using Wallet.Protocol.Keysets;

namespace Wallet.Storage.Postgres.Keysets;

/// <summary>
/// A keyset key at rest: the same sealed bytes <see cref="SealedFileKeysetKeyStore"/> writes to a key file
/// (<see cref="SealedFile"/>, XChaCha20-Poly1305 under the key-encryption key, at the smallest Argon2id cost since the
/// key-encryption key is uniformly random), so a key file's bytes and a row's are interchangeable.
/// </summary>
/// <remarks>
/// The sealed content is "WCKK", a version byte, the blind-RSA scheme byte, the keyset id and the key's PKCS#8. The
/// keyset id inside the authenticated content binds the row to its keyset: a row copied under another keyset id opens,
/// but is refused. Every buffer that held PKCS#8 is wiped.
/// </remarks>
internal static class SealedKeysetKey
{
    private const byte FormatVersion = 1;
    private const int HeaderLength = 4 + 1 + 1 + KeysetId.Length;

    /// <summary>The cost every row is sealed at, and the most a row may ask for when opened.</summary>
    private static readonly SealedFileParameters Cost = new(SealedFileParameters.MinMemoryKiB, SealedFileParameters.MinIterations);

    /// <summary>Seals an exportable key for <paramref name="keyset"/>.</summary>
    /// <exception cref="ArgumentException">The key is not exportable.</exception>
    public static byte[] Seal(KeysetId keyset, BlindRsaPrivateKey key, ReadOnlySpan<byte> kek)
    {
        byte[] pkcs8 = Export(key);
        byte[] content = GC.AllocateArray<byte>(HeaderLength + pkcs8.Length, pinned: true);
        try
        {
            "WCKK"u8.CopyTo(content);
            content[4] = FormatVersion;
            content[5] = (byte)key.Scheme;
            keyset.Bytes.CopyTo(content.AsSpan(6));
            pkcs8.CopyTo(content.AsSpan(HeaderLength));
            return SealedFile.SealWithKey(content, kek, Cost);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>Opens a sealed key as a non-exportable key the caller owns.</summary>
    /// <exception cref="KeysetKeyStoreException">The key-encryption key is wrong, the bytes were altered, or they hold another keyset's key or no key.</exception>
    public static BlindRsaPrivateKey Open(KeysetId keyset, ReadOnlySpan<byte> sealedKey, ReadOnlySpan<byte> kek)
    {
        byte[] content;
        try
        {
            content = SealedFile.OpenWithKey(sealedKey, kek, Cost);
        }
        catch (SealedFileException e)
        {
            throw new KeysetKeyStoreException(keyset, e.Error == SealedFileError.AuthenticationFailed
                ? "the key-encryption key is wrong or the row was altered."
                : "the row does not hold a sealed key.", e);
        }

        try
        {
            return Read(keyset, content);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    private static BlindRsaPrivateKey Read(KeysetId keyset, ReadOnlySpan<byte> content)
    {
        if (content.Length <= HeaderLength || !content[..4].SequenceEqual("WCKK"u8) || content[4] != FormatVersion)
        {
            throw new KeysetKeyStoreException(keyset, "the sealed content is not a keyset key.");
        }

        if (!content.Slice(6, KeysetId.Length).SequenceEqual(keyset.Bytes))
        {
            throw new KeysetKeyStoreException(keyset, "the row holds the key of another keyset.");
        }

        var scheme = (BlindRsaScheme)content[5];
        if (scheme is not (BlindRsaScheme.Rsabssa or BlindRsaScheme.Rsapbssa)
            || !BlindRsaPrivateKey.TryImportPkcs8(content[HeaderLength..], out var key, scheme, exportable: false))
        {
            throw new KeysetKeyStoreException(keyset, "the sealed content is not a valid key.");
        }

        return key;
    }

    // Export is gated by the key itself: a key created or imported non-exportable cannot be sealed.
    private static byte[] Export(BlindRsaPrivateKey key)
    {
        try
        {
            return key.ExportPkcs8();
        }
        catch (InvalidOperationException)
        {
            throw new ArgumentException("The key is not exportable, so it cannot be sealed; generate or import it as exportable.", nameof(key));
        }
    }
}
