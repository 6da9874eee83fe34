using System.Collections.Concurrent;

namespace Wallet.Protocol.Keysets;

/// <summary>
/// Keeps each keyset's key in its own file, sealed (<see cref="SealedFile"/>, XChaCha20-Poly1305) under a 32-byte
/// key-encryption key that the operator supplies and keeps apart from the data directory.
/// </summary>
/// <remarks>
/// <para>
/// docs/PROTOCOL.md "Key custody". One file per keyset, <c>{keyset id}.key</c>, written atomically and durably, mode
/// 0600 in a directory of mode 0700 whatever the umask. The sealed content is <see cref="KeysetKeyContent"/> (it names
/// the keyset), so a file renamed to another keyset's name is refused. Keys are
/// loaded as non-exportable keys the store owns (disposed with it); PKCS#8 and key-encryption key copies are wiped
/// after use. <see cref="ToString"/> and the exceptions name the directory and keyset ids only.
/// </para>
/// <para>
/// The key-encryption key is uniformly random, so the slow Argon2id stretch that protects a typed passphrase adds
/// nothing: files are sealed at the smallest Argon2id cost.
/// </para>
/// </remarks>
public sealed class SealedFileKeysetKeyStore : IKeysetKeyStore, IDisposable
{
    /// <summary>The length of the key-encryption key, in bytes.</summary>
    public const int KeyEncryptionKeyLength = 32;

    private static readonly SealedFileParameters Cost = new(SealedFileParameters.MinMemoryKiB, SealedFileParameters.MinIterations);

    private readonly byte[] _kek;
    private readonly ConcurrentDictionary<KeysetId, BlindRsaPrivateKey> _loaded = new();
    private readonly SemaphoreSlim _writes = new(1, 1);
    private int _disposed;

    /// <summary>Opens (creating it when absent) a key directory.</summary>
    /// <param name="directory">The directory of the key files; created, or narrowed, to mode 0700 on Unix.</param>
    /// <param name="keyEncryptionKey">The key-encryption key, <see cref="KeyEncryptionKeyLength"/> random bytes; copied, and the copy wiped on <see cref="Dispose"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty, or the key is not 32 bytes.</exception>
    /// <exception cref="IOException">The directory could not be created.</exception>
    public SealedFileKeysetKeyStore(string directory, ReadOnlySpan<byte> keyEncryptionKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (keyEncryptionKey.Length != KeyEncryptionKeyLength)
        {
            throw new ArgumentException($"The key-encryption key has {KeyEncryptionKeyLength} bytes.", nameof(keyEncryptionKey));
        }

        Directory = Path.GetFullPath(directory);
        CreateOwnerOnlyDirectory(Directory);
        _kek = GC.AllocateArray<byte>(KeyEncryptionKeyLength, pinned: true);
        keyEncryptionKey.CopyTo(_kek);
    }

    /// <summary>
    /// Opens a key directory under the key-encryption key held in <paramref name="keyFile"/>, first creating that file
    /// with <see cref="KeyEncryptionKeyLength"/> random bytes (mode 0600 on Unix, never overwriting) when it is absent.
    /// </summary>
    /// <param name="directory">The directory of the key files (as for the constructor).</param>
    /// <param name="keyFile">The file of the key-encryption key. Keep it off the disk that holds <paramref name="directory"/> in production.</param>
    /// <returns>The store; every buffer that held the key-encryption key is wiped before this returns.</returns>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    /// <exception cref="InvalidDataException">The key file does not hold exactly <see cref="KeyEncryptionKeyLength"/> bytes.</exception>
    /// <exception cref="IOException">A file or directory could not be read or created.</exception>
    public static SealedFileKeysetKeyStore OpenWithKeyFile(string directory, string keyFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        byte[] kek = ReadOrCreateKeyEncryptionKey(keyFile);
        try
        {
            return new SealedFileKeysetKeyStore(directory, kek);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>
    /// Reads the key-encryption key held in <paramref name="keyFile"/>, first creating that file with
    /// <see cref="KeyEncryptionKeyLength"/> random bytes (mode 0600 on Unix, never overwriting) when it is absent. Any
    /// store that seals keyset keys under such a key (a database's, for example) can take its key from the same file.
    /// </summary>
    /// <param name="keyFile">The file of the key-encryption key. Keep it off the disk that holds what it seals in production.</param>
    /// <returns>The key; the caller wipes it (<see cref="CryptographicOperations.ZeroMemory"/>) once the store holds it.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyFile"/> is null or empty.</exception>
    /// <exception cref="InvalidDataException">The key file does not hold exactly <see cref="KeyEncryptionKeyLength"/> bytes.</exception>
    /// <exception cref="IOException">The file could not be read or created.</exception>
    public static byte[] ReadOrCreateKeyEncryptionKey(string keyFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyFile);
        if (!File.Exists(keyFile))
        {
            byte[] fresh = RandomNumberGenerator.GetBytes(KeyEncryptionKeyLength);
            try
            {
                string? parent = Path.GetDirectoryName(Path.GetFullPath(keyFile));
                if (parent is not null)
                {
                    System.IO.Directory.CreateDirectory(parent);
                }

                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var file = new FileStream(keyFile, options);
                file.Write(fresh);
                file.Flush(flushToDisk: true);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(fresh);
            }
        }

        byte[] kek = File.ReadAllBytes(keyFile);
        if (kek.Length == KeyEncryptionKeyLength)
        {
            return kek;
        }

        CryptographicOperations.ZeroMemory(kek);
        throw new InvalidDataException($"The key file {keyFile} does not hold a key-encryption key of {KeyEncryptionKeyLength} bytes.");
    }

    /// <summary>The directory of the key files.</summary>
    public string Directory { get; }

    /// <inheritdoc/>
    /// <exception cref="IOException">The file could not be written.</exception>
    /// <exception cref="ObjectDisposedException">The store has been disposed.</exception>
    public async ValueTask PutAsync(KeysetId keyset, BlindRsaPrivateKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ArgumentNullException.ThrowIfNull(key);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string path = PathOf(keyset);
            if (_loaded.ContainsKey(keyset) || File.Exists(path))
            {
                return;
            }

            byte[] content = KeysetKeyContent.Write(keyset, key);
            try
            {
                await SealedFile.WriteWithKeyAsync(path, content, _kek, Cost, cancellationToken).ConfigureAwait(false);
                Cache(keyset, KeysetKeyContent.Read(keyset, content));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(content);
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <inheritdoc/>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The store has been disposed.</exception>
    public async ValueTask<BlindRsaPrivateKey?> TryLoadAsync(KeysetId keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_loaded.TryGetValue(keyset, out var cached))
        {
            return cached;
        }

        byte[] sealedData;
        try
        {
            sealedData = await File.ReadAllBytesAsync(PathOf(keyset), cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        byte[] content;
        try
        {
            content = SealedFile.OpenWithKey(sealedData, _kek, SealedFileParameters.DefaultMaximum);
        }
        catch (SealedFileException e)
        {
            throw new KeysetKeyStoreException(keyset, e.Error == SealedFileError.AuthenticationFailed
                ? "the key-encryption key is wrong or the file was altered."
                : "the file is not a sealed key file.", e);
        }

        try
        {
            return Cache(keyset, KeysetKeyContent.Read(keyset, content));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    /// <summary>Disposes the loaded keys and wipes the key-encryption key.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        CryptographicOperations.ZeroMemory(_kek);
        foreach (var (_, key) in _loaded)
        {
            key.Dispose();
        }

        _loaded.Clear();
        _writes.Dispose();
    }

    /// <summary>Names the directory only.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"SealedFileKeysetKeyStore({Directory})";

    private static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return;
        }

        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        System.IO.Directory.CreateDirectory(path, OwnerOnly);

        // An existing directory keeps its mode through CreateDirectory, and the umask may have narrowed a new one less.
        File.SetUnixFileMode(path, OwnerOnly);
    }

    private BlindRsaPrivateKey Cache(KeysetId keyset, BlindRsaPrivateKey key)
    {
        var kept = _loaded.GetOrAdd(keyset, key);
        if (!ReferenceEquals(kept, key))
        {
            key.Dispose();
        }

        return kept;
    }

    private string PathOf(KeysetId keyset) => Path.Combine(Directory, $"{keyset}.key");
}
