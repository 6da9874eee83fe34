namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What the store packages share when they register (this file is compiled into Wallet.Storage.Sqlite and
/// Wallet.Storage.Postgres): a store that takes the place of the in-memory default, and the check of a required
/// setting.
/// </summary>
internal static class StoreRegistration
{
    /// <summary>
    /// Registers the singleton <typeparamref name="TService"/> opened by <paramref name="open"/>, unless the app
    /// registered one; the in-memory default <typeparamref name="TInMemory"/> is replaced whichever call came first.
    /// </summary>
    public static void TryAddStore<TService, TInMemory>(IServiceCollection services, Func<IServiceProvider, TService> open)
        where TService : class
    {
        // AddWalletScheme registers the in-memory stores by implementation type so that a store package can tell
        // them from a store the app chose, and take their place whatever the order of the calls.
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService);
        if (existing is not null && existing.ImplementationType == typeof(TInMemory))
        {
            services.Remove(existing);
        }

        services.TryAddSingleton(open);
    }

    /// <summary>
    /// Registers <typeparamref name="TDatabase"/> as the scheme's <see cref="Wallet.Protocol.Flows.ISchemeTransactions"/>
    /// when the registered ledger, scheme and log stores are all its own (<paramref name="stores"/>); otherwise the
    /// stores commit one by one (a ledger registered elsewhere commits on its own, and so does everything else then).
    /// </summary>
    public static void TryAddTransactions<TDatabase>(IServiceCollection services, Func<TDatabase, (object Ledger, object Scheme, object Log)> stores)
        where TDatabase : class, Wallet.Protocol.Flows.ISchemeTransactions
    {
        services.TryAddSingleton<Wallet.Protocol.Flows.ISchemeTransactions>(sp =>
        {
            var database = sp.GetRequiredService<TDatabase>();
            var (ledger, scheme, log) = stores(database);
            return ReferenceEquals(sp.GetRequiredService<Wallet.Protocol.Ledger.ILedgerStore>(), ledger)
                && ReferenceEquals(sp.GetRequiredService<Wallet.Protocol.Schemes.ISchemeStore>(), scheme)
                && ReferenceEquals(sp.GetRequiredService<Wallet.Crypto.Merkle.IMerkleLogStore>(), log)
                ? database
                : SeparateCommits.Instance;
        });
    }

    // Stores that do not share one database: each commits its own writes, and the operation runs as it is.
    private sealed class SeparateCommits : Wallet.Protocol.Flows.ISchemeTransactions
    {
        public static readonly SeparateCommits Instance = new();

        public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(operation);
            return operation(cancellationToken);
        }
    }
}

/// <summary>Checks at start-up that a store's one required text setting is set, so a store without it fails before its first request.</summary>
/// <typeparam name="TOptions">The store's options.</typeparam>
/// <param name="setting">Reads the setting.</param>
/// <param name="failure">The failure message when it is missing or blank.</param>
internal sealed class RequiredSettingValidator<TOptions>(Func<TOptions, string?> setting, string failure) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(setting(options)) ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;
    }
}
