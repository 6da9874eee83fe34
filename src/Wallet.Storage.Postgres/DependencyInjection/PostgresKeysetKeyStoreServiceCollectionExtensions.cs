using System.Security.Cryptography;
using Wallet.Protocol.Keysets;
using Wallet.Storage.Postgres.Keysets;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the scheme's PostgreSQL keyset key store (sealed keys) on an <see cref="IServiceCollection"/>.</summary>
public static class PostgresKeysetKeyStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresKeysetKeyStore"/> as the scheme's <see cref="IKeysetKeyStore"/>, over a data source it
    /// builds from the connection string, sealing keys under the key-encryption key read from
    /// <see cref="PostgresKeysetKeyStoreOptions.KeyEncryptionKeyFile"/>. Resolving it reads that file and opens no
    /// connection: it migrates its table asynchronously before its first operation, and is disposed with the service
    /// provider, which wipes its copy of the key-encryption key.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the connection string and the key file.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>
    /// TryAdd semantics: a key store registered earlier wins, except the in-memory default of <c>AddWalletScheme</c>,
    /// which this store replaces whichever call comes first. Resolving the store throws
    /// <see cref="FileNotFoundException"/> when the key file is missing and <see cref="InvalidDataException"/> when it
    /// does not hold exactly 32 bytes.
    /// </remarks>
    public static IServiceCollection AddWalletPostgresKeysetKeyStore(this IServiceCollection services, Action<PostgresKeysetKeyStoreOptions>? configure = null)
    {
        ValidatedOptions.Add(services, configure, new KeysetKeyStoreOptionsValidator(requireConnectionString: true));
        StoreRegistration.TryAddStore<IKeysetKeyStore, InMemoryKeysetKeyStore>(services, sp =>
        {
            var options = sp.GetRequiredService<IOptions<PostgresKeysetKeyStoreOptions>>().Value;
            return WithKeyFile(options.KeyEncryptionKeyFile!, kek => PostgresKeysetKeyStore.CreateOwning(options.ConnectionString!, kek));
        });
        return services;
    }

    /// <summary>
    /// Registers <see cref="PostgresKeysetKeyStore"/> as the scheme's <see cref="IKeysetKeyStore"/>, over an
    /// <see cref="NpgsqlDataSource"/> the application provides (for example one registered in DI), sealing keys under the
    /// key-encryption key read from <see cref="PostgresKeysetKeyStoreOptions.KeyEncryptionKeyFile"/>. Resolving the store
    /// reads that file and opens no connection. The store never disposes the data source; its owner does.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="dataSource">Resolves the data source, once, when the store is first resolved.</param>
    /// <param name="configure">Sets the key file (the connection string is not used).</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="dataSource"/> is null.</exception>
    /// <remarks>TryAdd semantics and key-file errors as the connection-string overload.</remarks>
    public static IServiceCollection AddWalletPostgresKeysetKeyStore(this IServiceCollection services, Func<IServiceProvider, NpgsqlDataSource> dataSource, Action<PostgresKeysetKeyStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataSource);
        ValidatedOptions.Add(services, configure, new KeysetKeyStoreOptionsValidator(requireConnectionString: false));
        StoreRegistration.TryAddStore<IKeysetKeyStore, InMemoryKeysetKeyStore>(services, sp =>
        {
            var options = sp.GetRequiredService<IOptions<PostgresKeysetKeyStoreOptions>>().Value;
            return WithKeyFile(options.KeyEncryptionKeyFile!, kek => PostgresKeysetKeyStore.Create(dataSource(sp), kek));
        });
        return services;
    }

    // The key file's bytes live only for the store to copy them.
    private static PostgresKeysetKeyStore WithKeyFile(string keyFile, KeyConsumer create)
    {
        byte[] kek = File.ReadAllBytes(keyFile);
        try
        {
            return kek.Length == PostgresKeysetKeyStore.KeyEncryptionKeyLength
                ? create(kek)
                : throw new InvalidDataException($"The key file {keyFile} does not hold a key-encryption key of {PostgresKeysetKeyStore.KeyEncryptionKeyLength} bytes.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    private delegate PostgresKeysetKeyStore KeyConsumer(ReadOnlySpan<byte> keyEncryptionKey);

    /// <summary>The key file is always required; the connection string only when the store builds its own data source.</summary>
    private sealed class KeysetKeyStoreOptionsValidator(bool requireConnectionString) : IValidateOptions<PostgresKeysetKeyStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgresKeysetKeyStoreOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            var failures = new List<string>();
            if (requireConnectionString && string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                failures.Add($"{nameof(PostgresKeysetKeyStoreOptions.ConnectionString)} is required for the PostgreSQL keyset key store.");
            }

            if (string.IsNullOrWhiteSpace(options.KeyEncryptionKeyFile))
            {
                failures.Add($"{nameof(PostgresKeysetKeyStoreOptions.KeyEncryptionKeyFile)} is required for the PostgreSQL keyset key store.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
