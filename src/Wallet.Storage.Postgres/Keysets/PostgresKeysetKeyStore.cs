using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Keysets;

namespace Wallet.Storage.Postgres.Keysets;

/// <summary>
/// Keeps each keyset's key in PostgreSQL, sealed under a 32-byte key-encryption key that the operator supplies and
/// keeps apart from the database: one row of <c>keyset_keys</c> per keyset, so every scheme node sharing the database
/// (and the key-encryption key) signs with the same keys.
/// </summary>
/// <remarks>
/// <para>
/// docs/PROTOCOL.md "Key custody". A row holds exactly the sealed bytes <see cref="SealedFileKeysetKeyStore"/> writes
/// to a key file (XChaCha20-Poly1305 with the keyset id inside the authenticated content), so a row moved to another
/// keyset id, altered, or opened under another key-encryption key is refused with
/// <see cref="KeysetKeyStoreException"/>. The first key stored for a keyset wins, across nodes too: the insert does
/// nothing when a row exists.
/// </para>
/// <para>
/// Keys are loaded as non-exportable keys the store owns (disposed with it); PKCS#8 buffers are wiped after use and the
/// store's copy of the key-encryption key on disposal. <see cref="ToString"/> and the exceptions name keyset ids only.
/// Creating a store opens nothing: the table is created or migrated (under its own advisory lock) before the first
/// operation or by <see cref="MigrateAsync"/>.
/// </para>
/// </remarks>
public sealed class PostgresKeysetKeyStore : IKeysetKeyStore, IAsyncDisposable, IDisposable
{
    /// <summary>The length of the key-encryption key, in bytes.</summary>
    public const int KeyEncryptionKeyLength = SealedFileKeysetKeyStore.KeyEncryptionKeyLength;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly byte[] _kek;
    private readonly ConcurrentDictionary<KeysetId, BlindRsaPrivateKey> _loaded = new();
    private readonly SemaphoreSlim _migration = new(1, 1);
    private volatile bool _migrated;
    private int _disposed;

    private PostgresKeysetKeyStore(NpgsqlDataSource dataSource, bool ownsDataSource, ReadOnlySpan<byte> keyEncryptionKey)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _kek = GC.AllocateArray<byte>(KeyEncryptionKeyLength, pinned: true);
        keyEncryptionKey.CopyTo(_kek);
    }

    /// <summary>The schema version this library writes (the row of <c>keyset_keys_schema</c>).</summary>
    public static int SchemaVersion => PostgresKeysetKeySchema.LatestVersion;

    /// <summary>Opens a key store over a data source it builds from <paramref name="connectionString"/> and owns, migrating its table now.</summary>
    /// <param name="connectionString">An Npgsql connection string; <c>Search Path</c> selects the schema.</param>
    /// <param name="keyEncryptionKey">The key-encryption key, <see cref="KeyEncryptionKeyLength"/> random bytes; copied, and the copy wiped on disposal.</param>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null, empty or malformed, or the key is not 32 bytes.</exception>
    /// <exception cref="InvalidOperationException">The table is from a newer version of this library.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<PostgresKeysetKeyStore> OpenAsync(string connectionString, ReadOnlyMemory<byte> keyEncryptionKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        CheckKeyLength(keyEncryptionKey.Span);
        cancellationToken.ThrowIfCancellationRequested();
        return await MigratedAsync(CreateOwning(connectionString, keyEncryptionKey.Span), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a key store over a data source the caller owns (never disposed by the store), migrating its table now.</summary>
    /// <param name="dataSource">The data source, for example the <see cref="NpgsqlDataSource"/> registered in DI.</param>
    /// <param name="keyEncryptionKey">The key-encryption key, <see cref="KeyEncryptionKeyLength"/> random bytes; copied, and the copy wiped on disposal.</param>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    /// <exception cref="InvalidOperationException">The table is from a newer version of this library.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<PostgresKeysetKeyStore> OpenAsync(NpgsqlDataSource dataSource, ReadOnlyMemory<byte> keyEncryptionKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        CheckKeyLength(keyEncryptionKey.Span);
        cancellationToken.ThrowIfCancellationRequested();
        return await MigratedAsync(Create(dataSource, keyEncryptionKey.Span), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a key store over a data source the caller owns without opening anything: the table is migrated before
    /// the first operation, or by <see cref="MigrateAsync"/>. This is what a DI factory, which must not block, uses.
    /// </summary>
    /// <param name="dataSource">The data source; the store never disposes it.</param>
    /// <param name="keyEncryptionKey">The key-encryption key, <see cref="KeyEncryptionKeyLength"/> random bytes; copied, and the copy wiped on disposal.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static PostgresKeysetKeyStore Create(NpgsqlDataSource dataSource, ReadOnlySpan<byte> keyEncryptionKey)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        CheckKeyLength(keyEncryptionKey);
        return new PostgresKeysetKeyStore(dataSource, ownsDataSource: false, keyEncryptionKey);
    }

    /// <summary>
    /// Migrates the table to <see cref="SchemaVersion"/> now, unless this store already did. Every operation does this
    /// first, so calling it is only a way to fail (or warm up) before the first key is needed.
    /// </summary>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>A task that completes once the table is current.</returns>
    /// <exception cref="InvalidOperationException">The table is from a newer version of this library.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached; nothing is remembered, so the next call tries again.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_migrated)
        {
            return;
        }

        await _migration.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await PostgresKeysetKeySchema.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _migration.Release();
        }
    }

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The database refused the write.</exception>
    /// <exception cref="ObjectDisposedException">The store has been disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask PutAsync(KeysetId keyset, BlindRsaPrivateKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ArgumentNullException.ThrowIfNull(key);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_loaded.ContainsKey(keyset))
        {
            return;
        }

        byte[] sealedKey = SealedKeysetKey.Seal(keyset, key, _kek);
        int inserted;
        await using (var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = new NpgsqlCommand("INSERT INTO keyset_keys (keyset_id, sealed) VALUES ($1, $2) ON CONFLICT (keyset_id) DO NOTHING", connection))
        {
            command.Parameters.Add(new NpgsqlParameter<byte[]> { Value = keyset.Bytes.ToArray() });
            command.Parameters.Add(new NpgsqlParameter<byte[]> { Value = sealedKey });
            inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Only the key that won the row is cached: another node's earlier key stays the keyset's key. Opening the row
        // just written also proves it opens.
        if (inserted == 1)
        {
            Cache(keyset, SealedKeysetKey.Open(keyset, sealedKey, _kek));
        }
    }

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The database could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The store has been disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<BlindRsaPrivateKey?> TryLoadAsync(KeysetId keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_loaded.TryGetValue(keyset, out var cached))
        {
            return cached;
        }

        byte[]? sealedKey;
        await using (var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = new NpgsqlCommand("SELECT sealed FROM keyset_keys WHERE keyset_id = $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter<byte[]> { Value = keyset.Bytes.ToArray() });
            sealedKey = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
        }

        return sealedKey is null ? null : Cache(keyset, SealedKeysetKey.Open(keyset, sealedKey, _kek));
    }

    /// <summary>Disposes the loaded keys, wipes the key-encryption key, and disposes the data source if the store built it.</summary>
    /// <returns>A task that completes once the store is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Release() && _ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Disposes the loaded keys, wipes the key-encryption key, and disposes the data source if the store built it.</summary>
    public void Dispose()
    {
        if (Release() && _ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    /// <summary>Names the store and the number of keys loaded; never key material or the connection string.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"PostgresKeysetKeyStore({_loaded.Count} keys loaded)";

    /// <summary>A store over a data source it builds from <paramref name="connectionString"/> and owns; opens nothing.</summary>
    internal static PostgresKeysetKeyStore CreateOwning(string connectionString, ReadOnlySpan<byte> keyEncryptionKey)
    {
        CheckKeyLength(keyEncryptionKey);
        return new(NpgsqlDataSource.Create(connectionString), ownsDataSource: true, keyEncryptionKey);
    }

    private static void CheckKeyLength(ReadOnlySpan<byte> keyEncryptionKey)
    {
        if (keyEncryptionKey.Length != KeyEncryptionKeyLength)
        {
            throw new ArgumentException($"The key-encryption key has {KeyEncryptionKeyLength} bytes.", nameof(keyEncryptionKey));
        }
    }

    private static async Task<PostgresKeysetKeyStore> MigratedAsync(PostgresKeysetKeyStore store, CancellationToken cancellationToken)
    {
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The first disposal wipes the key-encryption key and disposes the keys; it returns whether this call did it.
    private bool Release()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return false;
        }

        CryptographicOperations.ZeroMemory(_kek);
        foreach (var (_, key) in _loaded)
        {
            key.Dispose();
        }

        _loaded.Clear();
        _migration.Dispose();
        return true;
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

    // Every connection the store works on comes from here, after the migration.
    private async ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }
}
