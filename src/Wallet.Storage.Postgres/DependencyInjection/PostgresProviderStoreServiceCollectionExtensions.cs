using Wallet.Protocol.Providers;
using Wallet.Storage.Postgres.Providers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an accredited provider's PostgreSQL store on an <see cref="IServiceCollection"/>.</summary>
public static class PostgresProviderStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresProviderStore"/> as the <see cref="IProviderStore"/> of <c>AddWalletProvider</c>, so
    /// a restarted provider keeps its open requests, verified payments, deposit in flight, payment outcomes, trusted
    /// checkpoint and split-view evidence. It connects and migrates its schema at its first resolution and is disposed
    /// with the service provider.
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

        // DI factories are synchronous; opening runs once at first resolution, before any request.
        StoreRegistration.TryAddStore<IProviderStore, InMemoryProviderStore>(services, sp =>
            PostgresProviderStore.OpenAsync(sp.GetRequiredService<IOptions<PostgresProviderStoreOptions>>().Value.ConnectionString!).GetAwaiter().GetResult());
        return services;
    }
}
