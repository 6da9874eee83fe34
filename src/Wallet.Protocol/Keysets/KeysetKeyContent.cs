namespace Wallet.Protocol.Keysets;

/// <summary>
/// The plaintext a sealed keyset key holds, whatever keeps it (a key file of <see cref="SealedFileKeysetKeyStore"/>, a
/// database row): "WCKK", a version byte, the blind-RSA scheme byte, the keyset id and the key's PKCS#8. The keyset id
/// inside the authenticated content binds the sealed bytes to their keyset, so bytes stored under another keyset's name
/// open but are refused. A store seals and opens these bytes (<see cref="SealedFile.SealWithKey"/>) itself.
/// </summary>
public static class KeysetKeyContent
{
    private const byte FormatVersion = 1;
    private const int HeaderLength = 4 + 1 + 1 + KeysetId.Length;

    /// <summary>Writes the content for <paramref name="key"/> as the key of <paramref name="keyset"/>.</summary>
    /// <param name="keyset">The keyset the key signs for.</param>
    /// <param name="key">An exportable key.</param>
    /// <returns>The content in a pinned array; the caller wipes it (<see cref="CryptographicOperations.ZeroMemory"/>) once sealed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> or <paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException">The key is not exportable, so it cannot be sealed.</exception>
    public static byte[] Write(KeysetId keyset, BlindRsaPrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ArgumentNullException.ThrowIfNull(key);
        byte[] pkcs8 = Export(key);
        try
        {
            byte[] content = GC.AllocateArray<byte>(HeaderLength + pkcs8.Length, pinned: true);
            "WCKK"u8.CopyTo(content);
            content[4] = FormatVersion;
            content[5] = (byte)key.Scheme;
            keyset.Bytes.CopyTo(content.AsSpan(6));
            pkcs8.CopyTo(content.AsSpan(HeaderLength));
            return content;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>Reads the key that <paramref name="content"/> holds for <paramref name="keyset"/>.</summary>
    /// <param name="keyset">The keyset the content was stored under.</param>
    /// <param name="content">The opened content; not kept.</param>
    /// <returns>A non-exportable key the caller owns.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    /// <exception cref="KeysetKeyStoreException">The content is not a keyset key, holds another keyset's key, or no valid key.</exception>
    public static BlindRsaPrivateKey Read(KeysetId keyset, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        if (content.Length <= HeaderLength || !content[..4].SequenceEqual("WCKK"u8) || content[4] != FormatVersion)
        {
            throw new KeysetKeyStoreException(keyset, "the sealed content is not a keyset key.");
        }

        if (!content.Slice(6, KeysetId.Length).SequenceEqual(keyset.Bytes))
        {
            throw new KeysetKeyStoreException(keyset, "the sealed content holds the key of another keyset.");
        }

        var scheme = (BlindRsaScheme)content[5];
        if (scheme is not (BlindRsaScheme.Rsabssa or BlindRsaScheme.Rsapbssa)
            || !BlindRsaPrivateKey.TryImportPkcs8(content[HeaderLength..], out var key, scheme, exportable: false))
        {
            throw new KeysetKeyStoreException(keyset, "the sealed content is not a valid key.");
        }

        return key;
    }

    // Export is gated by the key itself: a key created or imported non-exportable cannot be sealed, only referenced.
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
