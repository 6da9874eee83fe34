namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the scheme's SQLite stores on an <see cref="IServiceCollection"/>.</summary>
public static class SqliteWalletStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the scheme's stores as SQLite files in one directory: <see cref="SqliteLedgerStore"/> (ledger.db) as
    /// <see cref="ILedgerStore"/>, <see cref="SqliteSchemeStore"/> (scheme.db) as <see cref="ISchemeStore"/> and
    /// <see cref="SqliteMerkleLogStore"/> (log.db) as <see cref="IMerkleLogStore"/>. Each store opens at its first
    /// resolution and is disposed with the service provider.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the directory.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>
    /// TryAdd semantics: a store registered earlier wins (for example the PostgreSQL ledger of
    /// <c>AddWalletPostgresLedgerStore</c>, called first, keeps the ledger in PostgreSQL and the rest here), except
    /// the in-memory defaults of <c>AddWalletScheme</c>, which these stores replace whichever call comes first.
    /// </remarks>
    public static IServiceCollection AddWalletSqliteStores(this IServiceCollection services, Action<SqliteWalletStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SqliteWalletStoreOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteWalletStoreOptions>, SqliteWalletStoreOptionsValidator>());

        // DI factories are synchronous; opening runs once at first resolution, before any request.
        TryAddStore<ILedgerStore, InMemoryLedgerStore>(services, sp => SqliteLedgerStore.OpenAsync(FilePath(sp, "ledger.db")).GetAwaiter().GetResult());
        TryAddStore<ISchemeStore, InMemorySchemeStore>(services, sp => SqliteSchemeStore.Open(FilePath(sp, "scheme.db")));
        TryAddStore<IMerkleLogStore, InMemoryMerkleLogStore>(services, sp => SqliteMerkleLogStore.Open(FilePath(sp, "log.db")));
        return services;
    }

    // AddWalletScheme registers the in-memory stores by implementation type so that a store package can tell
    // them from a store the app chose, and take their place whatever the order of the calls.
    private static void TryAddStore<TService, TInMemory>(IServiceCollection services, Func<IServiceProvider, TService> open)
        where TService : class
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService);
        if (existing is not null && existing.ImplementationType == typeof(TInMemory))
        {
            services.Remove(existing);
        }

        services.TryAddSingleton(open);
    }

    private static string FilePath(IServiceProvider services, string file)
    {
        string directory = services.GetRequiredService<IOptions<SqliteWalletStoreOptions>>().Value.Directory!;
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, file);
    }
}
