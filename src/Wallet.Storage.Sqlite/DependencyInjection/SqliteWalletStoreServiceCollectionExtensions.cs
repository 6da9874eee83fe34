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
        ValidatedOptions.Add(services, configure, new RequiredSettingValidator<SqliteWalletStoreOptions>(
            o => o.Directory, $"{nameof(SqliteWalletStoreOptions.Directory)} is required for the SQLite stores."));

        // DI factories are synchronous; opening runs once at first resolution, before any request.
        StoreRegistration.TryAddStore<ILedgerStore, InMemoryLedgerStore>(services, sp => SqliteLedgerStore.OpenAsync(FilePath(sp, "ledger.db")).GetAwaiter().GetResult());
        StoreRegistration.TryAddStore<ISchemeStore, InMemorySchemeStore>(services, sp => SqliteSchemeStore.Open(FilePath(sp, "scheme.db")));
        StoreRegistration.TryAddStore<IMerkleLogStore, InMemoryMerkleLogStore>(services, sp => SqliteMerkleLogStore.Open(FilePath(sp, "log.db")));
        return services;
    }

    private static string FilePath(IServiceProvider services, string file)
    {
        string directory = services.GetRequiredService<IOptions<SqliteWalletStoreOptions>>().Value.Directory!;
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, file);
    }
}
