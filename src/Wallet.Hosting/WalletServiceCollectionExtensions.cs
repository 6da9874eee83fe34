using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wallet.Crypto.Merkle;
using Wallet.Hosting;
using Wallet.Hosting.Logging;
using Wallet.Hosting.Validation;
using Wallet.Hosting.Wallets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the WalletCore roles on an <see cref="IServiceCollection"/>. Every method uses TryAdd semantics (a service
/// registered earlier, such as a custom store or an HTTP <see cref="ISchemeClient"/>, wins), validates its options when
/// the host starts, and returns the collection for chaining.
/// </summary>
public static class WalletServiceCollectionExtensions
{
    /// <summary>
    /// Registers the scheme (issuer) role: <see cref="BenefitScheme"/> as a singleton and as the in-process
    /// <see cref="ISchemeClient"/>, its <see cref="SchemeLedger"/>, and the stores named by <see cref="WalletSchemeOptions.Store"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options: the keys and the store.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>Stores opened here are disposed with the service provider; the keys are not.</remarks>
    public static IServiceCollection AddWalletScheme(this IServiceCollection services, Action<WalletSchemeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WalletSchemeOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WalletSchemeOptions>, WalletSchemeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILedgerStore>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<WalletSchemeOptions>>().Value;
            return o.Store switch
            {
                WalletStoreKind.InMemory => new InMemoryLedgerStore(),
                // DI factories are synchronous; opening runs once at first resolution, before any request.
                WalletStoreKind.Postgres => PostgresLedgerStore.OpenAsync(o.PostgresConnectionString!).GetAwaiter().GetResult(),
                _ => SqliteLedgerStore.OpenAsync(SqlitePath(o, "ledger.db")).GetAwaiter().GetResult(),
            };
        });
        services.TryAddSingleton<ISchemeStore>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<WalletSchemeOptions>>().Value;
            return o.Store == WalletStoreKind.InMemory ? new InMemorySchemeStore() : SqliteSchemeStore.Open(SqlitePath(o, "scheme.db"));
        });
        services.TryAddSingleton<IMerkleLogStore>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<WalletSchemeOptions>>().Value;
            return o.Store == WalletStoreKind.InMemory ? new InMemoryMerkleLogStore() : SqliteMerkleLogStore.Open(SqlitePath(o, "log.db"));
        });
        services.TryAddSingleton(sp => new SchemeLedger(sp.GetRequiredService<ILedgerStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<WalletSchemeOptions>>().Value;
            var scheme = new BenefitScheme(o.SchemeKey!, o.AccreditationKey!, sp.GetRequiredService<SchemeLedger>(), sp.GetRequiredService<ISchemeStore>(), sp.GetRequiredService<IMerkleLogStore>(), sp.GetRequiredService<TimeProvider>());
            HostingLog.SchemeOpened(Logger(sp), o.Store);
            return scheme;
        });
        services.TryAddSingleton<ISchemeClient>(sp => sp.GetRequiredService<BenefitScheme>());
        return services;
    }

    /// <summary>
    /// Registers what a wallet app needs: a <see cref="WalletFactory"/> that opens worker wallets with the pinned keys.
    /// The <see cref="ISchemeClient"/> comes from <see cref="AddWalletScheme"/> (in process) or from a transport
    /// registered by the app.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the pinned keys.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddWalletClient(this IServiceCollection services, Action<WalletClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WalletClientOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WalletClientOptions>, WalletClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WalletFactory>();
        return services;
    }

    /// <summary>Registers the provider role: one <see cref="AccreditedProvider"/> singleton for the configured record.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the record, the receipt key and the scheme key.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddWalletProvider(this IServiceCollection services, Action<WalletProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WalletProviderOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WalletProviderOptions>, WalletProviderOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<WalletProviderOptions>>().Value;
            var provider = new AccreditedProvider(o.Record!, o.ReceiptKey!, o.SchemeKey!, sp.GetRequiredService<TimeProvider>());
            HostingLog.ProviderReady(Logger(sp), o.Record!.Id.Value);
            return provider;
        });
        return services;
    }

    private static string SqlitePath(WalletSchemeOptions options, string file)
    {
        Directory.CreateDirectory(options.SqliteDirectory!);
        return Path.Combine(options.SqliteDirectory!, file);
    }

    private static ILogger Logger(IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger("WalletCore.Hosting") ?? NullLogger.Instance;
}
