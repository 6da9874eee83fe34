using Wallet.Crypto.Merkle;
using Wallet.Storage.Postgres.Merkle;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the scheme's PostgreSQL Merkle log store on an <see cref="IServiceCollection"/>.</summary>
public static class PostgresMerkleLogStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresMerkleLogStore"/> as the scheme's <see cref="IMerkleLogStore"/>, over a data source it
    /// builds from the connection string. Resolving it opens nothing: it connects and migrates its tables asynchronously
    /// before its first operation, and is disposed with the service provider (use <c>DisposeAsync</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the connection string.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>
    /// TryAdd semantics: a log store registered earlier wins, except the in-memory default of <c>AddWalletScheme</c>,
    /// which this store replaces whichever call comes first.
    /// </remarks>
    public static IServiceCollection AddWalletPostgresMerkleLogStore(this IServiceCollection services, Action<PostgresMerkleLogStoreOptions>? configure = null)
    {
        ValidatedOptions.Add(services, configure, new RequiredSettingValidator<PostgresMerkleLogStoreOptions>(
            o => o.ConnectionString, $"{nameof(PostgresMerkleLogStoreOptions.ConnectionString)} is required for the PostgreSQL Merkle log store."));

        // DI factories are synchronous: the factory only builds the store, whose first operation connects and migrates.
        StoreRegistration.TryAddStore<IMerkleLogStore, InMemoryMerkleLogStore>(services, sp =>
            PostgresMerkleLogStore.CreateOwning(sp.GetRequiredService<IOptions<PostgresMerkleLogStoreOptions>>().Value.ConnectionString!));
        return services;
    }

    /// <summary>
    /// Registers <see cref="PostgresMerkleLogStore"/> as the scheme's <see cref="IMerkleLogStore"/>, over an
    /// <see cref="NpgsqlDataSource"/> the application provides, for example one registered in DI
    /// (<c>sp => sp.GetRequiredService&lt;NpgsqlDataSource&gt;()</c>, or a keyed one). Resolving the store opens
    /// nothing: it migrates its tables asynchronously before its first operation. The store never disposes the data
    /// source; its owner does.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="dataSource">Resolves the data source, once, when the store is first resolved.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="dataSource"/> is null.</exception>
    /// <remarks>TryAdd semantics as the connection-string overload.</remarks>
    public static IServiceCollection AddWalletPostgresMerkleLogStore(this IServiceCollection services, Func<IServiceProvider, NpgsqlDataSource> dataSource)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataSource);
        StoreRegistration.TryAddStore<IMerkleLogStore, InMemoryMerkleLogStore>(services, sp => PostgresMerkleLogStore.Create(dataSource(sp)));
        return services;
    }
}
