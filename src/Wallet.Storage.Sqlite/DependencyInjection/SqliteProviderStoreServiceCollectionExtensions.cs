namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an accredited provider's SQLite store on an <see cref="IServiceCollection"/>.</summary>
public static class SqliteProviderStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteProviderStore"/> as the <see cref="IProviderStore"/> of <c>AddWalletProvider</c>, so
    /// a restarted provider keeps its open requests, verified payments, deposit in flight and payment outcomes. The
    /// store opens at its first resolution and is disposed with the service provider.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the file path.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>
    /// TryAdd semantics: a store the app registered earlier wins, except the in-memory default of
    /// <c>AddWalletProvider</c>, which this store replaces whichever call comes first.
    /// </remarks>
    public static IServiceCollection AddWalletSqliteProviderStore(this IServiceCollection services, Action<SqliteProviderStoreOptions>? configure = null)
    {
        ValidatedOptions.Add(services, configure, new RequiredSettingValidator<SqliteProviderStoreOptions>(
            o => o.Path, $"{nameof(SqliteProviderStoreOptions.Path)} is required for the SQLite provider store."));

        // DI factories are synchronous; opening runs once at first resolution, before any request.
        StoreRegistration.TryAddStore<IProviderStore, InMemoryProviderStore>(services, sp => SqliteProviderStore.Open(sp.GetRequiredService<IOptions<SqliteProviderStoreOptions>>().Value.Path!));
        return services;
    }
}
