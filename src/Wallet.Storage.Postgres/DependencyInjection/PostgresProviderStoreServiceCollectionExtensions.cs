using Wallet.Protocol.Providers;
using Wallet.Storage.Postgres.Providers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an accredited provider's PostgreSQL store on an <see cref="IServiceCollection"/>.</summary>
public static class PostgresProviderStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresProviderStore"/> as the <see cref="IProviderStore"/> of <c>AddWalletProvider</c>, so
    /// a restarted provider keeps its open requests, verified payments, deposit in flight, payment outcomes, trusted
    /// checkpoint and split-view evidence. Resolving it opens nothing: it connects and migrates its schema
    /// asynchronously before its first operation, and is disposed with the service provider (use <c>DisposeAsync</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the connection string.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>
    /// TryAdd semantics: a store the app registered earlier wins, except the in-memory default of
    /// <c>AddWalletProvider</c>, which this store replaces whichever call comes first.
    /// </remarks>
    public static IServiceCollection AddWalletPostgresProviderStore(this IServiceCollection services, Action<PostgresProviderStoreOptions>? configure = null)
    {
        ValidatedOptions.Add(services, configure, new RequiredSettingValidator<PostgresProviderStoreOptions>(
            o => o.ConnectionString, $"{nameof(PostgresProviderStoreOptions.ConnectionString)} is required for the PostgreSQL provider store."));

        // DI factories are synchronous: the factory only builds the store, whose first operation connects and migrates.
        StoreRegistration.TryAddStore<IProviderStore, InMemoryProviderStore>(services, sp =>
            PostgresProviderStore.CreateOwning(sp.GetRequiredService<IOptions<PostgresProviderStoreOptions>>().Value.ConnectionString!));
        return services;
    }

    /// <summary>
    /// Registers <see cref="PostgresProviderStore"/> as the <see cref="IProviderStore"/> of <c>AddWalletProvider</c>, over
    /// an <see cref="NpgsqlDataSource"/> the application provides, for example one registered in DI
    /// (<c>sp => sp.GetRequiredService&lt;NpgsqlDataSource&gt;()</c>, or a keyed one). Resolving the store opens
    /// nothing: it migrates its schema asynchronously before its first operation. The store never disposes the data
    /// source; its owner does.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="dataSource">Resolves the data source, once, when the store is first resolved.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="dataSource"/> is null.</exception>
    /// <remarks>TryAdd semantics as the connection-string overload.</remarks>
    public static IServiceCollection AddWalletPostgresProviderStore(this IServiceCollection services, Func<IServiceProvider, NpgsqlDataSource> dataSource)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataSource);
        StoreRegistration.TryAddStore<IProviderStore, InMemoryProviderStore>(services, sp => PostgresProviderStore.Create(dataSource(sp)));
        return services;
    }
}
