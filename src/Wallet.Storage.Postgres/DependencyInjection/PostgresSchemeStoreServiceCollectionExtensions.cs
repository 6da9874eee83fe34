using Wallet.Protocol.Schemes;
using Wallet.Storage.Postgres.Scheme;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the scheme's PostgreSQL scheme-state store on an <see cref="IServiceCollection"/>.</summary>
public static class PostgresSchemeStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresSchemeStore"/> as the scheme's <see cref="ISchemeStore"/> (keysets, withdrawals,
    /// spends, deposits, log records, registries, swaps, refunds, statements), over a data source it builds from the
    /// connection string. Resolving it opens nothing: it connects and migrates its schema asynchronously before its
    /// first operation, and is disposed with the service provider (use <c>DisposeAsync</c>). Several scheme nodes may
    /// point at one database, which may be the ledger's (<c>AddWalletPostgresLedgerStore</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the connection string.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>
    /// TryAdd semantics: a scheme store registered earlier wins, except the in-memory default of
    /// <c>AddWalletScheme</c>, which this store replaces whichever call comes first.
    /// </remarks>
    public static IServiceCollection AddWalletPostgresSchemeStore(this IServiceCollection services, Action<PostgresSchemeStoreOptions>? configure = null)
    {
        ValidatedOptions.Add(services, configure, new RequiredSettingValidator<PostgresSchemeStoreOptions>(
            o => o.ConnectionString, $"{nameof(PostgresSchemeStoreOptions.ConnectionString)} is required for the PostgreSQL scheme store."));

        // DI factories are synchronous: the factory only builds the store, whose first operation connects and migrates.
        StoreRegistration.TryAddStore<ISchemeStore, InMemorySchemeStore>(services, sp =>
            PostgresSchemeStore.CreateOwning(sp.GetRequiredService<IOptions<PostgresSchemeStoreOptions>>().Value.ConnectionString!));
        return services;
    }

    /// <summary>
    /// Registers <see cref="PostgresSchemeStore"/> as the scheme's <see cref="ISchemeStore"/>, over an
    /// <see cref="NpgsqlDataSource"/> the application provides, for example the one its ledger store uses
    /// (<c>sp => sp.GetRequiredService&lt;NpgsqlDataSource&gt;()</c>, or a keyed one with
    /// <c>GetRequiredKeyedService</c>). Resolving the store opens nothing: it migrates its schema asynchronously before
    /// its first operation. The store never disposes the data source; its owner does.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="dataSource">Resolves the data source, once, when the store is first resolved.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="dataSource"/> is null.</exception>
    /// <remarks>TryAdd semantics as the connection-string overload.</remarks>
    public static IServiceCollection AddWalletPostgresSchemeStore(this IServiceCollection services, Func<IServiceProvider, NpgsqlDataSource> dataSource)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataSource);
        StoreRegistration.TryAddStore<ISchemeStore, InMemorySchemeStore>(services, sp => PostgresSchemeStore.CreateBorrowing(dataSource(sp)));
        return services;
    }
}
