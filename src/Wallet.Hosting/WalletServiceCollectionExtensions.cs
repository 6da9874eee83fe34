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
    /// <see cref="ISchemeClient"/>, its <see cref="SchemeLedger"/>, and in-memory stores (and an in-memory
    /// <see cref="IKeysetKeyStore"/>) unless stores are registered, and a hosted service that loads the scheme's
    /// blind-signing keys when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the scheme's keys and its checkpoint origin.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>
    /// The stores are the in-memory ones (everything is lost at exit) unless the app registers its own or calls a
    /// store package's registration, before or after this call: <c>AddWalletSqliteStores</c> (Wallet.Storage.Sqlite)
    /// or <c>AddWalletPostgresLedgerStore</c> (Wallet.Storage.Postgres). Blind-signing keys go to the registered
    /// <see cref="IKeysetKeyStore"/>; register a <see cref="SealedFileKeysetKeyStore"/> (or an HSM-backed store) to keep
    /// them across restarts. An app whose keys live in a separate signing process or an HSM registers an
    /// <see cref="IKeysetSignerSource"/> (such as <c>SocketKeysetSignerSource</c>) instead: when one is registered the
    /// scheme signs through it and the key store is not used (docs/PROTOCOL.md 8.2). The registered hosted service awaits <see cref="BenefitScheme.LoadKeysAsync"/> when the
    /// host starts, so the host refuses to start (<see cref="MissingKeysetKeyException"/> or
    /// <see cref="KeysetKeyStoreException"/> from <c>StartAsync</c>) when a withdrawable keyset's key is missing or
    /// unreadable; an app that builds a service provider without a host awaits it itself before serving. Stores are
    /// disposed with the service provider; the keys are not. Several processes serving one scheme over shared stores
    /// each register the same shared <see cref="ISchemeWriteLock"/> (such as <c>PostgresSchemeWriteLock.Create(dataSource)</c>
    /// from Wallet.Storage.Postgres); without one the scheme keeps its own in-process gate (docs/scaling.md "Several nodes").
    /// A registered <see cref="ISchemeTransactions"/> (AddWalletSqliteStores and AddWalletPostgresSchemeDatabase register one) becomes the scheme's
    /// <see cref="BenefitScheme.Transactions"/>.
    /// </remarks>
    public static IServiceCollection AddWalletScheme(this IServiceCollection services, Action<WalletSchemeOptions>? configure = null)
    {
        AddRoleOptions(services, configure, new WalletSchemeOptionsValidator());
        // In-memory stores unless a store package (AddWalletSqliteStores, AddWalletPostgresLedgerStore) or the app
        // registers its own: the packages recognise these registrations by their implementation type and take their place.
        services.TryAddSingleton<ILedgerStore, InMemoryLedgerStore>();
        services.TryAddSingleton<ISchemeStore, InMemorySchemeStore>();
        services.TryAddSingleton<IMerkleLogStore, InMemoryMerkleLogStore>();

        // Keys in memory only unless the app registers custody that outlives the process (SealedFileKeysetKeyStore or
        // an HSM-backed store); SchemeKeyLoader brings them back when the host starts.
        services.TryAddSingleton<IKeysetKeyStore, InMemoryKeysetKeyStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SchemeKeyLoader>());
        services.TryAddSingleton(sp => new SchemeLedger(sp.GetRequiredService<ILedgerStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<WalletSchemeOptions>>().Value;
            string origin = o.CheckpointOrigin ?? BenefitScheme.DefaultCheckpointOrigin;
            // A registered write lock (one shared by every node of the scheme, such as PostgresSchemeWriteLock) replaces
            // the scheme's own in-process gate (docs/scaling.md "Several nodes").
            var writeLock = sp.GetService<ISchemeWriteLock>() ?? new InProcessSchemeWriteLock();
            // Stores that share one database (AddWalletSqliteStores, AddWalletPostgresSchemeDatabase) commit each operation in one transaction.
            var transactions = sp.GetService<ISchemeTransactions>();
            var scheme = sp.GetService<IKeysetSignerSource>() is { } signers
                ? new BenefitScheme(o.SchemeKey!, o.AccreditationKey!, sp.GetRequiredService<SchemeLedger>(), sp.GetRequiredService<ISchemeStore>(), sp.GetRequiredService<IMerkleLogStore>(), sp.GetRequiredService<TimeProvider>(), signers) { CheckpointOrigin = origin, WriteLock = writeLock, Transactions = transactions }
                : new BenefitScheme(o.SchemeKey!, o.AccreditationKey!, sp.GetRequiredService<SchemeLedger>(), sp.GetRequiredService<ISchemeStore>(), sp.GetRequiredService<IMerkleLogStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IKeysetKeyStore>()) { CheckpointOrigin = origin, WriteLock = writeLock, Transactions = transactions };
            scheme.VerificationParallelism = o.VerificationParallelism;
            HostingLog.SchemeOpened(Logger(sp), sp.GetRequiredService<ILedgerStore>().GetType().Name);
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
    /// <param name="configure">Sets the pinned keys and, optionally, the witness policy.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddWalletClient(this IServiceCollection services, Action<WalletClientOptions>? configure = null)
    {
        AddRoleOptions(services, configure, new WalletClientOptionsValidator());
        services.TryAddSingleton<WalletFactory>();
        return services;
    }

    /// <summary>
    /// Registers the provider role: one <see cref="AccreditedProvider"/> singleton for the configured record, over the
    /// registered <see cref="IProviderStore"/>, and an in-memory one unless a store is registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the record, the receipt key, the scheme key and, optionally, the witness policy.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>
    /// The in-memory store forgets verified payments at exit, and with them value the provider was owed: a provider
    /// that runs for real registers a durable store, before or after this call, such as
    /// <c>AddWalletSqliteProviderStore</c> (Wallet.Storage.Sqlite), which takes the in-memory default's place.
    /// </remarks>
    public static IServiceCollection AddWalletProvider(this IServiceCollection services, Action<WalletProviderOptions>? configure = null)
    {
        AddRoleOptions(services, configure, new WalletProviderOptionsValidator());
        services.TryAddSingleton<IProviderStore, InMemoryProviderStore>();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<WalletProviderOptions>>().Value;
            var policy = o.WitnessPolicy is { } witnesses ? new WitnessPolicy(witnesses) : null;
            var provider = new AccreditedProvider(o.Record!, o.ReceiptKey!, o.SchemeKey!, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IProviderStore>(), policy);
            HostingLog.ProviderReady(Logger(sp), o.Record!.Id.Value);
            return provider;
        });
        return services;
    }

    // Every role: its options, checked when the host starts, and the clock.
    private static void AddRoleOptions<TOptions>(IServiceCollection services, Action<TOptions>? configure, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        ValidatedOptions.Add(services, configure, validator);
        services.TryAddSingleton(TimeProvider.System);
    }

    // The scheme and the wallets both pin the scheme key and the accreditation key, and cannot work without either.
    private static RequiredSettingsValidator<TOptions> RequireKeys<TOptions>(Func<TOptions, object?> schemeKey, Func<TOptions, object?> accreditationKey)
        where TOptions : class =>
        new((schemeKey, nameof(WalletSchemeOptions.SchemeKey)), (accreditationKey, nameof(WalletSchemeOptions.AccreditationKey)));

    private static ILogger Logger(IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger("WalletCore.Hosting") ?? NullLogger.Instance;
}
