namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the scheme's PostgreSQL ledger store on an <see cref="IServiceCollection"/>.</summary>
public static class PostgresLedgerStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresLedgerStore"/> as the scheme's <see cref="ILedgerStore"/>, over a data source it
    /// builds from the connection string (<see cref="PostgresLedgerStore.TuneConnectionString"/>). Resolving it opens
    /// nothing: it connects and migrates its schema asynchronously before its first operation, and is disposed with
    /// the service provider (use <c>DisposeAsync</c>). Only the ledger
    /// lives in PostgreSQL: the scheme state and the transparency log come from another registration, such as
    /// <c>AddWalletSqliteStores</c> (Wallet.Storage.Sqlite) called after this one.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the connection string.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>
    /// TryAdd semantics: a ledger store registered earlier wins, except the in-memory default of
    /// <c>AddWalletScheme</c>, which this store replaces whichever call comes first.
    /// </remarks>
    public static IServiceCollection AddWalletPostgresLedgerStore(this IServiceCollection services, Action<PostgresLedgerStoreOptions>? configure = null)
    {
        ValidatedOptions.Add(services, configure, new RequiredSettingValidator<PostgresLedgerStoreOptions>(
            o => o.ConnectionString, $"{nameof(PostgresLedgerStoreOptions.ConnectionString)} is required for the PostgreSQL ledger store."));

        // DI factories are synchronous: the factory only builds the store, whose first operation connects and migrates.
        StoreRegistration.TryAddStore<ILedgerStore, InMemoryLedgerStore>(services, sp =>
            PostgresLedgerStore.CreateOwning(sp.GetRequiredService<IOptions<PostgresLedgerStoreOptions>>().Value.ConnectionString!));
        return services;
    }

    /// <summary>
    /// Registers <see cref="PostgresLedgerStore"/> as the scheme's <see cref="ILedgerStore"/>, over an
    /// <see cref="NpgsqlDataSource"/> the application provides, for example one registered in DI
    /// (<c>sp => sp.GetRequiredService&lt;NpgsqlDataSource&gt;()</c>, or a keyed one with
    /// <c>GetRequiredKeyedService</c>). Resolving the store opens nothing: it migrates its schema asynchronously before
    /// its first operation. The store never disposes the data source; its owner does.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="dataSource">Resolves the data source, once, when the store is first resolved.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="dataSource"/> is null.</exception>
    /// <remarks>
    /// TryAdd semantics as the connection-string overload. The store uses the data source as it is; build it from
    /// <see cref="PostgresLedgerStore.TuneConnectionString"/> for the measured settings (docs/operations.md).
    /// </remarks>
    public static IServiceCollection AddWalletPostgresLedgerStore(this IServiceCollection services, Func<IServiceProvider, NpgsqlDataSource> dataSource)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataSource);
        StoreRegistration.TryAddStore<ILedgerStore, InMemoryLedgerStore>(services, sp => PostgresLedgerStore.Create(dataSource(sp)));
        return services;
    }
}
