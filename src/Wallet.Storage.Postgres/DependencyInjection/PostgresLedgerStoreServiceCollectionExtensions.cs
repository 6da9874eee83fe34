namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the scheme's PostgreSQL ledger store on an <see cref="IServiceCollection"/>.</summary>
public static class PostgresLedgerStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresLedgerStore"/> as the scheme's <see cref="ILedgerStore"/>. It connects and
    /// migrates its schema at its first resolution and is disposed with the service provider. Only the ledger
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

        // DI factories are synchronous; opening runs once at first resolution, before any request.
        StoreRegistration.TryAddStore<ILedgerStore, InMemoryLedgerStore>(services, sp =>
            PostgresLedgerStore.OpenAsync(sp.GetRequiredService<IOptions<PostgresLedgerStoreOptions>>().Value.ConnectionString!).GetAwaiter().GetResult());
        return services;
    }
}
