using Wallet.Protocol.Flows;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Schemes;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the scheme's whole state in one PostgreSQL database on an <see cref="IServiceCollection"/>.</summary>
public static class PostgresSchemeDatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="PostgresSchemeDatabase"/> over an <see cref="NpgsqlDataSource"/> the application provides
    /// (for example <c>sp =&gt; sp.GetRequiredService&lt;NpgsqlDataSource&gt;()</c>): its ledger as
    /// <see cref="ILedgerStore"/>, its scheme store as <see cref="ISchemeStore"/>, its log store as
    /// <see cref="IMerkleLogStore"/> and, when all three are its own, the database as the scheme's
    /// <see cref="ISchemeTransactions"/> (one transaction per operation). Resolving it opens nothing: the schemas are
    /// migrated asynchronously before the first operation. The data source is never disposed here; its owner does that.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="dataSource">Resolves the data source, once, when the database is first resolved.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="dataSource"/> is null.</exception>
    /// <remarks>
    /// TryAdd semantics, as <c>AddWalletSqliteStores</c>: a store registered earlier wins, except the in-memory
    /// defaults of <c>AddWalletScheme</c>; a store that is not the database's commits on its own, and so does
    /// everything else then. Several nodes sharing the database also register one <c>PostgresSchemeWriteLock</c>
    /// each as their <see cref="ISchemeWriteLock"/> (docs/scaling.md "Several nodes").
    /// </remarks>
    public static IServiceCollection AddWalletPostgresSchemeDatabase(this IServiceCollection services, Func<IServiceProvider, NpgsqlDataSource> dataSource)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataSource);
        services.TryAddSingleton(sp => PostgresSchemeDatabase.Create(dataSource(sp)));
        StoreRegistration.TryAddStore<ILedgerStore, InMemoryLedgerStore>(services, sp => sp.GetRequiredService<PostgresSchemeDatabase>().Ledger);
        StoreRegistration.TryAddStore<ISchemeStore, InMemorySchemeStore>(services, sp => sp.GetRequiredService<PostgresSchemeDatabase>().Scheme);
        StoreRegistration.TryAddStore<IMerkleLogStore, InMemoryMerkleLogStore>(services, sp => sp.GetRequiredService<PostgresSchemeDatabase>().Log);
        StoreRegistration.TryAddTransactions<PostgresSchemeDatabase>(services, d => (d.Ledger, d.Scheme, d.Log));
        return services;
    }
}
