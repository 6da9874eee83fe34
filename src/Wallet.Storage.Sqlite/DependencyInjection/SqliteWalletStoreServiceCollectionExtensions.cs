namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the scheme's SQLite stores on an <see cref="IServiceCollection"/>.</summary>
public static class SqliteWalletStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the scheme's stores in one SQLite file in a directory, a <see cref="SqliteSchemeDatabase"/>
    /// (<see cref="SqliteSchemeDatabase.DefaultFileName"/>): its ledger as <see cref="ILedgerStore"/>, its scheme store as
    /// <see cref="ISchemeStore"/>, its log store as <see cref="IMerkleLogStore"/>, and, when all three are its own, the
    /// database as the scheme's <see cref="ISchemeTransactions"/> (one transaction per operation). A directory holding the
    /// three files of earlier releases is imported into it first. The database opens at its first resolution and is
    /// disposed with the service provider.
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

        // DI factories are synchronous; opening runs once at first resolution, before any request, and does no
        // asynchronous I/O (Microsoft.Data.Sqlite has none), so nothing waits on a pending task here.
        services.TryAddSingleton(sp =>
        {
            string directory = sp.GetRequiredService<IOptions<SqliteWalletStoreOptions>>().Value.Directory!;
            Directory.CreateDirectory(directory);
            return SqliteSchemeDatabase.OpenDirectoryAsync(directory).GetAwaiter().GetResult();
        });
        StoreRegistration.TryAddStore<ILedgerStore, InMemoryLedgerStore>(services, sp => sp.GetRequiredService<SqliteSchemeDatabase>().Ledger);
        StoreRegistration.TryAddStore<ISchemeStore, InMemorySchemeStore>(services, sp => sp.GetRequiredService<SqliteSchemeDatabase>().Scheme);
        StoreRegistration.TryAddStore<IMerkleLogStore, InMemoryMerkleLogStore>(services, sp => sp.GetRequiredService<SqliteSchemeDatabase>().Log);

        // One transaction per operation only when every store is the database's: a ledger registered elsewhere (say
        // on PostgreSQL) commits on its own, and so does everything else then.
        StoreRegistration.TryAddTransactions<SqliteSchemeDatabase>(services, d => (d.Ledger, d.Scheme, d.Log));
        return services;
    }
}
