namespace Wallet.Crypto.SealedFiles;

// Sealing under a secret held as bytes (a random key-encryption key rather than a typed passphrase), so the caller
// keeps the secret in memory it can wipe.
public static partial class SealedFile
{
    /// <summary>
    /// Encrypts <paramref name="plaintext"/> under a secret given as bytes, such as a random key-encryption key: the
    /// bytes take the place of the passphrase's UTF-8 (no normalization), so the caller can keep the secret in memory
    /// it wipes, which a <see cref="string"/> never is.
    /// </summary>
    /// <param name="plaintext">The content, at most <see cref="MaxPlaintextLength"/> bytes.</param>
    /// <param name="key">The secret; not empty. Not kept.</param>
    /// <param name="parameters">Argon2id cost; <see cref="SealedFileParameters.Default"/> when <see langword="null"/>.</param>
    /// <returns>The sealed bytes: header, ciphertext and tag, in the format of <see cref="Seal(ReadOnlySpan{byte}, string, SealedFileParameters?)"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty, or <paramref name="plaintext"/> is too long.</exception>
    public static byte[] SealWithKey(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> key, SealedFileParameters? parameters = null)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("The key is empty.", nameof(key));
        }

        Span<byte> saltAndNonce = stackalloc byte[SaltLength + NonceLength];
        RandomNumberGenerator.Fill(saltAndNonce);
        return SealCore(plaintext, key, parameters, saltAndNonce[..SaltLength], saltAndNonce[SaltLength..]);
    }

    /// <summary>Decrypts sealed bytes made by <see cref="SealWithKey"/>, refusing costs above <paramref name="maximum"/>.</summary>
    /// <param name="sealedData">The sealed bytes.</param>
    /// <param name="key">The secret the data was sealed with. Not kept.</param>
    /// <param name="maximum">The most memory and passes the caller is willing to spend.</param>
    /// <returns>The content, in a new pinned array the caller wipes after use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="maximum"/> is <see langword="null"/>.</exception>
    /// <exception cref="SealedFileException">The data is not a sealed file this library can open, asks for more than the maximum cost, the key is wrong, or the data was altered.</exception>
    public static byte[] OpenWithKey(ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> key, SealedFileParameters maximum)
    {
        ArgumentNullException.ThrowIfNull(maximum);
        return OpenCore(sealedData, key, maximum);
    }

    /// <summary>
    /// Seals <paramref name="plaintext"/> under a secret given as bytes (see <see cref="SealWithKey"/>) and writes it to
    /// <paramref name="path"/> atomically and durably, owner-only on Unix, exactly as
    /// <see cref="WriteAsync(string, ReadOnlyMemory{byte}, string, SealedFileParameters?, CancellationToken)"/> does.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="plaintext">The content, at most <see cref="MaxPlaintextLength"/> bytes.</param>
    /// <param name="key">The secret; not empty. Read before the task returns and not kept.</param>
    /// <param name="parameters">Argon2id cost; <see cref="SealedFileParameters.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the write; once cancelled, the previous file is left untouched.</param>
    /// <returns>A task that completes when the new file is in place.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> or <paramref name="key"/> is empty, or <paramref name="plaintext"/> is too long.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the rename.</exception>
    /// <exception cref="IOException">The file system refused the write, the rename or the directory flush.</exception>
    public static Task WriteWithKeyAsync(string path, ReadOnlyMemory<byte> plaintext, ReadOnlySpan<byte> key, SealedFileParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckLength(plaintext.Length);

        // Sealed here, on the caller's thread, so the key need not outlive this call.
        byte[] sealedData = SealWithKey(plaintext.Span, key, parameters);
        return WriteSealedAsync(path, sealedData, beforeReplace: null, cancellationToken);
    }
}
