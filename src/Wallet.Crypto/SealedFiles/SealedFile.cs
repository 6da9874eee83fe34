using System.Text;
using NSec.Cryptography;

namespace Wallet.Crypto.SealedFiles;

/// <summary>
/// Encrypts wallet files under a passphrase: Argon2id (RFC 9106) derives a key that XChaCha20-Poly1305 uses to
/// encrypt the content, with the whole versioned header authenticated as associated data. Both through NSec.
/// </summary>
/// <remarks>
/// Layout (all integers big-endian), version 1:
/// <code>
/// offset size  field
///      0    6  magic "WCSEAL"
///      6    2  format version = 1
///      8    1  KDF id = 1 (Argon2id, version 0x13)
///      9    1  AEAD id = 1 (XChaCha20-Poly1305)
///     10    4  Argon2id memory, KiB
///     14    4  Argon2id passes
///     18    4  Argon2id parallelism = 1
///     22   16  salt
///     38   24  nonce
///     62    n  ciphertext, then the 16-byte Poly1305 tag
/// </code>
/// The key is Argon2id(passphrase as UTF-8 after Unicode NFC normalization, salt, parameters, 32 bytes); the
/// associated data is bytes 0 to 61. A fresh random salt and nonce are drawn for every seal. Parameters read from
/// a file are checked against <see cref="SealedFileParameters"/>' bounds before any work is done.
/// </remarks>
public static partial class SealedFile
{
    /// <summary>Length of the header, in bytes.</summary>
    public const int HeaderLength = 62;

    /// <summary>Length of the authentication tag, in bytes.</summary>
    public const int TagLength = 16;

    /// <summary>The largest content that can be sealed or opened, in bytes (64 MiB).</summary>
    public const int MaxPlaintextLength = 64 * 1024 * 1024;

    /// <summary>The format version this library writes.</summary>
    public const ushort FormatVersion = 1;

    internal const int SaltLength = 16;
    internal const int NonceLength = 24;
    private const byte Argon2idId = 1;
    private const byte XChaCha20Poly1305Id = 1;

    private static ReadOnlySpan<byte> Magic => "WCSEAL"u8;

    /// <summary>Encrypts <paramref name="plaintext"/> under <paramref name="passphrase"/>.</summary>
    /// <param name="plaintext">The content, at most <see cref="MaxPlaintextLength"/> bytes.</param>
    /// <param name="passphrase">The passphrase; not empty.</param>
    /// <param name="parameters">
    /// Argon2id cost; <see cref="SealedFileParameters.Default"/> when <see langword="null"/>. A cost above
    /// <see cref="SealedFileParameters.DefaultMaximum"/> can only be opened by a reader that passes a larger maximum.
    /// </param>
    /// <returns>The sealed bytes: header, ciphertext and tag.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="passphrase"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="passphrase"/> is empty or not valid UTF-16, or <paramref name="plaintext"/> is too long.</exception>
    public static byte[] Seal(ReadOnlySpan<byte> plaintext, string passphrase, SealedFileParameters? parameters = null)
    {
        Span<byte> saltAndNonce = stackalloc byte[SaltLength + NonceLength];
        RandomNumberGenerator.Fill(saltAndNonce);
        return Seal(plaintext, passphrase, parameters, saltAndNonce[..SaltLength], saltAndNonce[SaltLength..]);
    }

    /// <summary>
    /// Decrypts sealed bytes made by <see cref="Seal(ReadOnlySpan{byte}, string, SealedFileParameters?)"/>, accepting
    /// Argon2id costs up to <see cref="SealedFileParameters.DefaultMaximum"/>.
    /// </summary>
    /// <param name="sealedData">The sealed bytes.</param>
    /// <param name="passphrase">The passphrase.</param>
    /// <returns>The content, in a new array the caller wipes (<see cref="CryptographicOperations.ZeroMemory"/>) after use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="passphrase"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="passphrase"/> is not valid UTF-16 (it has an unpaired surrogate).</exception>
    /// <exception cref="SealedFileException">The data is not a sealed file this library can open, asks for more than the maximum cost, the passphrase is wrong, or the data was altered.</exception>
    public static byte[] Open(ReadOnlySpan<byte> sealedData, string passphrase) =>
        Open(sealedData, passphrase, SealedFileParameters.DefaultMaximum);

    /// <summary>
    /// Decrypts sealed bytes, refusing before any key derivation a header whose Argon2id memory or passes exceed
    /// <paramref name="maximum"/>.
    /// </summary>
    /// <param name="sealedData">The sealed bytes.</param>
    /// <param name="passphrase">The passphrase.</param>
    /// <param name="maximum">The most memory and passes the caller is willing to spend on this file.</param>
    /// <returns>The content, in a new array the caller wipes (<see cref="CryptographicOperations.ZeroMemory"/>) after use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="passphrase"/> or <paramref name="maximum"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="passphrase"/> is not valid UTF-16 (it has an unpaired surrogate).</exception>
    /// <exception cref="SealedFileException">
    /// The data is not a sealed file this library can open, its parameters exceed <paramref name="maximum"/>
    /// (<see cref="SealedFileError.ParametersOutOfBounds"/>), Argon2id could not allocate its memory
    /// (<see cref="SealedFileError.KeyDerivationFailed"/>), the passphrase is wrong, or the data was altered.
    /// </exception>
    public static byte[] Open(ReadOnlySpan<byte> sealedData, string passphrase, SealedFileParameters maximum)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        ArgumentNullException.ThrowIfNull(maximum);
        byte[] utf8 = EncodePassphrase(passphrase);
        try
        {
            return OpenCore(sealedData, utf8, maximum);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    private static byte[] OpenCore(ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> passphrase, SealedFileParameters maximum)
    {
        SealedFileParameters parameters = ReadHeader(sealedData);
        if (parameters.MemoryKiB > maximum.MemoryKiB || parameters.Iterations > maximum.Iterations)
        {
            throw new SealedFileException(SealedFileError.ParametersOutOfBounds);
        }

        ReadOnlySpan<byte> header = sealedData[..HeaderLength];
        ReadOnlySpan<byte> salt = header.Slice(22, SaltLength);
        ReadOnlySpan<byte> nonce = header.Slice(38, NonceLength);
        ReadOnlySpan<byte> ciphertext = sealedData[HeaderLength..];

        using Key key = DeriveKeyForOpen(passphrase, salt, parameters);
        byte[] plaintext = GC.AllocateArray<byte>(ciphertext.Length - TagLength, pinned: true);
        if (!AeadAlgorithm.XChaCha20Poly1305.Decrypt(key, nonce, header, ciphertext, plaintext))
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new SealedFileException(SealedFileError.AuthenticationFailed);
        }

        return plaintext;
    }

    /// <summary>
    /// Seals <paramref name="plaintext"/> and writes it to <paramref name="path"/> atomically: the data goes to a
    /// temporary file in the same directory, is flushed to disk, and only then renamed over the target, so a crash
    /// or a failure at any point leaves either the previous file or the new one, never a mix. On Linux and macOS the
    /// directory is then fsync'ed, so the new file survives a crash once the task completes.
    /// </summary>
    /// <remarks>
    /// On Unix the file is created with mode 0600 (owner read and write only), whatever the umask and whatever the
    /// mode of the file it replaces. If flushing the directory fails after the rename, the task faults with an
    /// <see cref="IOException"/> although the new file is already in place: it is readable, but not known to be durable.
    /// A file system that cannot sync directories at all (fsync returns EINVAL) is accepted as it is.
    /// </remarks>
    /// <param name="path">The wallet file.</param>
    /// <param name="plaintext">The content, at most <see cref="MaxPlaintextLength"/> bytes.</param>
    /// <param name="passphrase">The passphrase; not empty.</param>
    /// <param name="parameters">
    /// Argon2id cost; <see cref="SealedFileParameters.Default"/> when <see langword="null"/>. A cost above
    /// <see cref="SealedFileParameters.DefaultMaximum"/> can only be opened by a reader that passes a larger maximum.
    /// </param>
    /// <param name="cancellationToken">Cancels the write; once cancelled, the previous file is left untouched.</param>
    /// <returns>A task that completes when the new file is in place.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="passphrase"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> or <paramref name="passphrase"/> is empty, <paramref name="passphrase"/> is not valid UTF-16, or <paramref name="plaintext"/> is too long.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the rename.</exception>
    /// <exception cref="IOException">The file system refused the write, the rename or the directory flush.</exception>
    public static Task WriteAsync(string path, ReadOnlyMemory<byte> plaintext, string passphrase, SealedFileParameters? parameters = null, CancellationToken cancellationToken = default) =>
        WriteAsync(path, plaintext, passphrase, parameters, beforeReplace: null, cancellationToken);

    /// <summary>Reads and opens a sealed wallet file, accepting Argon2id costs up to <see cref="SealedFileParameters.DefaultMaximum"/>.</summary>
    /// <param name="path">The wallet file.</param>
    /// <param name="passphrase">The passphrase.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The content, in a new array the caller wipes after use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="passphrase"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or <paramref name="passphrase"/> is not valid UTF-16.</exception>
    /// <exception cref="SealedFileException">The file is not a sealed file this library can open, asks for more than the maximum cost, the passphrase is wrong, or the file was altered.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<byte[]> ReadAsync(string path, string passphrase, CancellationToken cancellationToken = default) =>
        ReadAsync(path, passphrase, SealedFileParameters.DefaultMaximum, cancellationToken);

    /// <summary>
    /// Reads and opens a sealed wallet file, refusing before any key derivation a header whose Argon2id memory or
    /// passes exceed <paramref name="maximum"/>.
    /// </summary>
    /// <param name="path">The wallet file; it need not be seekable (a pipe is read up to the size limit).</param>
    /// <param name="passphrase">The passphrase.</param>
    /// <param name="maximum">The most memory and passes the caller is willing to spend on this file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The content, in a new array the caller wipes after use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/>, <paramref name="passphrase"/> or <paramref name="maximum"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or <paramref name="passphrase"/> is not valid UTF-16.</exception>
    /// <exception cref="SealedFileException">
    /// The file is not a sealed file this library can open, is too large, its parameters exceed
    /// <paramref name="maximum"/>, Argon2id could not allocate its memory, the passphrase is wrong, or the file was altered.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<byte[]> ReadAsync(string path, string passphrase, SealedFileParameters maximum, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(passphrase);
        ArgumentNullException.ThrowIfNull(maximum);
        byte[] sealedData;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            sealedData = await ReadBoundedAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        // Argon2id is deliberately slow: keep it off the caller's thread.
        return await Task.Run(() => Open(sealedData, passphrase, maximum), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads at most one byte more than the largest sealed file, without trusting <see cref="Stream.Length"/>: a pipe
    /// has none, and a file can grow while it is read.
    /// </summary>
    private static async Task<byte[]> ReadBoundedAsync(FileStream stream, CancellationToken cancellationToken)
    {
        const int Limit = HeaderLength + MaxPlaintextLength + TagLength;
        if (stream.CanSeek && stream.Length > Limit)
        {
            throw new SealedFileException(SealedFileError.TooLarge);
        }

        int capacity = stream.CanSeek ? (int)stream.Length + 1 : 64 * 1024;
        byte[] buffer = new byte[capacity];
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length > Limit)
                {
                    throw new SealedFileException(SealedFileError.TooLarge);
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, Limit + 1L));
            }

            int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        if (filled > Limit)
        {
            throw new SealedFileException(SealedFileError.TooLarge);
        }

        return filled == buffer.Length ? buffer : buffer[..filled];
    }

    /// <summary>The write, with a hook that runs after the temporary file is durable and before the rename (a crash point for tests).</summary>
    internal static async Task WriteAsync(string path, ReadOnlyMemory<byte> plaintext, string passphrase, SealedFileParameters? parameters, Action<string>? beforeReplace, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        CheckLength(plaintext.Length);
        cancellationToken.ThrowIfCancellationRequested();
        byte[] sealedData = await Task.Run(() => Seal(plaintext.Span, passphrase, parameters), cancellationToken).ConfigureAwait(false);
        await WriteSealedAsync(path, sealedData, beforeReplace, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckLength(int length)
    {
        if (length > MaxPlaintextLength)
        {
            throw new ArgumentException($"At most {MaxPlaintextLength} bytes can be sealed.", "plaintext");
        }
    }

    private static async Task WriteSealedAsync(string path, byte[] sealedData, Action<string>? beforeReplace, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException("The path has no directory.", nameof(path));
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            var stream = new FileStream(temporary, TemporaryFileOptions());
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(sealedData, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

                // fsync: the rename below must never publish a file whose bytes are still only in the page cache.
                stream.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            beforeReplace?.Invoke(temporary);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        // The rename is atomic but only durable once the directory entry is on disk.
        DirectorySync.Flush(directory);
    }

    private static FileStreamOptions TemporaryFileOptions()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };

        // Owner-only from the first byte (the umask could only remove bits), and the rename carries the mode over to
        // the wallet file, so rewriting a file never loosens it.
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>Seal with a caller-chosen salt and nonce: the seam for replayable tests only.</summary>
    internal static byte[] Seal(ReadOnlySpan<byte> plaintext, string passphrase, SealedFileParameters? parameters, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> nonce)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        if (plaintext.Length > MaxPlaintextLength)
        {
            throw new ArgumentException($"At most {MaxPlaintextLength} bytes can be sealed.", nameof(plaintext));
        }

        byte[] utf8 = EncodePassphrase(passphrase);
        try
        {
            return SealCore(plaintext, utf8, parameters, salt, nonce);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    private static byte[] SealCore(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> passphrase, SealedFileParameters? parameters, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> nonce)
    {
        if (plaintext.Length > MaxPlaintextLength)
        {
            throw new ArgumentException($"At most {MaxPlaintextLength} bytes can be sealed.", nameof(plaintext));
        }

        parameters ??= SealedFileParameters.Default;
        byte[] output = new byte[HeaderLength + plaintext.Length + TagLength];
        Span<byte> header = output.AsSpan(0, HeaderLength);
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], FormatVersion);
        header[8] = Argon2idId;
        header[9] = XChaCha20Poly1305Id;
        BinaryPrimitives.WriteUInt32BigEndian(header[10..], (uint)parameters.MemoryKiB);
        BinaryPrimitives.WriteUInt32BigEndian(header[14..], (uint)parameters.Iterations);
        BinaryPrimitives.WriteUInt32BigEndian(header[18..], 1);
        salt.CopyTo(header[22..]);
        nonce.CopyTo(header[38..]);

        using Key key = DeriveKey(passphrase, salt, parameters);
        AeadAlgorithm.XChaCha20Poly1305.Encrypt(key, nonce, header, plaintext, output.AsSpan(HeaderLength));
        return output;
    }

    private static SealedFileParameters ReadHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < Magic.Length || !data[..Magic.Length].SequenceEqual(Magic))
        {
            throw new SealedFileException(SealedFileError.NotASealedFile);
        }

        if (data.Length < HeaderLength + TagLength)
        {
            throw new SealedFileException(SealedFileError.Truncated);
        }

        if (data.Length > HeaderLength + MaxPlaintextLength + TagLength)
        {
            throw new SealedFileException(SealedFileError.TooLarge);
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(data[6..]) != FormatVersion)
        {
            throw new SealedFileException(SealedFileError.UnsupportedVersion);
        }

        if (data[8] != Argon2idId || data[9] != XChaCha20Poly1305Id)
        {
            throw new SealedFileException(SealedFileError.UnsupportedAlgorithm);
        }

        uint memory = BinaryPrimitives.ReadUInt32BigEndian(data[10..]);
        uint passes = BinaryPrimitives.ReadUInt32BigEndian(data[14..]);
        uint lanes = BinaryPrimitives.ReadUInt32BigEndian(data[18..]);
        if (memory is < SealedFileParameters.MinMemoryKiB or > SealedFileParameters.MaxMemoryKiB ||
            passes is < SealedFileParameters.MinIterations or > SealedFileParameters.MaxIterations ||
            lanes != 1)
        {
            throw new SealedFileException(SealedFileError.ParametersOutOfBounds);
        }

        return new SealedFileParameters((int)memory, (int)passes);
    }

    private static Key DeriveKeyForOpen(ReadOnlySpan<byte> passphrase, ReadOnlySpan<byte> salt, SealedFileParameters parameters)
    {
        try
        {
            return DeriveKey(passphrase, salt, parameters);
        }
        catch (Exception e) when (e is CryptographicException or OutOfMemoryException)
        {
            // libsodium reports a failed allocation of the Argon2 memory as a plain failure, which NSec turns into a
            // CryptographicException; a file on disk must never surface as an untyped error.
            throw new SealedFileException(SealedFileError.KeyDerivationFailed);
        }
    }

    private static Key DeriveKey(ReadOnlySpan<byte> passphrase, ReadOnlySpan<byte> salt, SealedFileParameters parameters)
    {
        var argon2id = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = 1,
            MemorySize = parameters.MemoryKiB,
            NumberOfPasses = parameters.Iterations,
        });
        return argon2id.DeriveKey(passphrase, salt, AeadAlgorithm.XChaCha20Poly1305, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None });
    }

    /// <summary>UTF-8 of the NFC form, in pinned memory the caller wipes.</summary>
    private static byte[] EncodePassphrase(string passphrase)
    {
        string normalized;
        try
        {
            // NFC, so the same passphrase typed on two keyboards that compose accents differently opens the file.
            normalized = passphrase.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException("The passphrase is not valid Unicode text.", nameof(passphrase));
        }

        byte[] utf8 = GC.AllocateArray<byte>(Encoding.UTF8.GetByteCount(normalized), pinned: true);
        Encoding.UTF8.GetBytes(normalized, utf8);
        return utf8;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stray temporary file is harmless (it is sealed) and the original is intact.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
