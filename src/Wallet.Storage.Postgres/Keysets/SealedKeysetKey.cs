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
/// The sealed content is <see cref="KeysetKeyContent"/>: the keyset id inside the authenticated content binds the row
/// to its keyset, so a row copied under another keyset id opens, but is refused. Every buffer that held PKCS#8 is wiped.
/// </remarks>
internal static class SealedKeysetKey
{
    /// <summary>The cost every row is sealed at, and the most a row may ask for when opened.</summary>
    private static readonly SealedFileParameters Cost = new(SealedFileParameters.MinMemoryKiB, SealedFileParameters.MinIterations);

    /// <summary>Seals an exportable key for <paramref name="keyset"/>.</summary>
    /// <exception cref="ArgumentException">The key is not exportable.</exception>
    public static byte[] Seal(KeysetId keyset, BlindRsaPrivateKey key, ReadOnlySpan<byte> kek)
    {
        byte[] content = KeysetKeyContent.Write(keyset, key);
        try
        {
            return SealedFile.SealWithKey(content, kek, Cost);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
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
            return KeysetKeyContent.Read(keyset, content);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }
}
