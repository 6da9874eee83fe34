using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;
using Wallet.Protocol;
using Wallet.Storage.Postgres;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Sqlite;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Providers;
using Wallet.Storage.Sqlite.Scheme;

namespace Wallet.Hosting.Tests;

public sealed class WalletServiceCollectionExtensionsTests
{
    [Fact]
    public async Task RegisteredRolesCompleteAWithdrawSpendDepositRoundTrip()
    {
        using var world = new HostedRoundTrip();
        var (honest, _) = await world.RunAsync();
        Assert.Equal(DepositStatus.Accepted, honest.Status);
        Assert.Equal(500, await world.Services.GetRequiredService<BenefitScheme>().GetProviderBalanceAsync(world.Record.Id));
    }

    [Fact]
    public void SchemeIsTheInProcessSchemeClient()
    {
        using var world = new HostedRoundTrip();
        Assert.Same(world.Services.GetRequiredService<BenefitScheme>(), world.Services.GetRequiredService<ISchemeClient>());
    }

    [Fact]
    public async Task RegisteredWriteLockIsTheSchemesGateAndTheDefaultIsInProcess()
    {
        var counting = new CountingWriteLock();
        using var world = new HostedRoundTrip(services => services.AddSingleton<ISchemeWriteLock>(counting));
        var (honest, _) = await world.RunAsync();
        using var plain = new HostedRoundTrip();

        Assert.Equal(DepositStatus.Accepted, honest.Status);
        Assert.Same(counting, world.Services.GetRequiredService<BenefitScheme>().WriteLock);
        Assert.True(counting.Entered > 0, "the scheme never took the registered lock");
        Assert.IsType<InProcessSchemeWriteLock>(plain.Services.GetRequiredService<BenefitScheme>().WriteLock);
    }

    [Fact]
    public async Task SqliteStoreKeepsTheLedgerInTheConfiguredDirectory()
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-hosting-").FullName;
        try
        {
            using (var world = new HostedRoundTrip(s => s.AddWalletSqliteStores(o => o.Directory = directory)))
            {
                Assert.IsType<SqliteLedgerStore>(world.Services.GetRequiredService<ILedgerStore>());
                var (honest, _) = await world.RunAsync();
                Assert.Equal(DepositStatus.Accepted, honest.Status);
            }

            // One file for the whole scheme (one transaction per operation), none of the three of earlier releases.
            Assert.True(File.Exists(Path.Combine(directory, SqliteSchemeDatabase.DefaultFileName)));
            Assert.All(SqliteSchemeDatabase.SeparateFileNames, name => Assert.False(File.Exists(Path.Combine(directory, name)), name));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void TheSchemeTakesItsCheckpointOriginFromTheOptionsAndRefusesABadOneAtStartUp()
    {
        using var key = Ed25519SigningKey.Generate();
        using (var services = new ServiceCollection().AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey, o.CheckpointOrigin) = (key, key.PublicKey, "benefits.example.org/pb1")).BuildServiceProvider())
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            Assert.Equal("benefits.example.org/pb1", services.GetRequiredService<BenefitScheme>().CheckpointOrigin);
        }

        using (var defaults = new ServiceCollection().AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey) = (key, key.PublicKey)).BuildServiceProvider())
        {
            Assert.Equal(BenefitScheme.DefaultCheckpointOrigin, defaults.GetRequiredService<BenefitScheme>().CheckpointOrigin);
        }

        using var bad = new ServiceCollection().AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey, o.CheckpointOrigin) = (key, key.PublicKey, "https://benefits.example.org/pb1/")).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(error.Failures, f => f.Contains(nameof(Wallet.Hosting.WalletSchemeOptions.CheckpointOrigin), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Sqlite", nameof(SqliteWalletStoreOptions.Directory))]
    [InlineData("Postgres", nameof(PostgresLedgerStoreOptions.ConnectionString))]
    public void StoreWithoutItsLocationFailsValidation(string store, string missing)
    {
        using var key = Ed25519SigningKey.Generate();
        var collection = new ServiceCollection().AddWalletScheme(o =>
        {
            o.SchemeKey = key;
            o.AccreditationKey = key.PublicKey;
        });
        _ = store == "Postgres" ? collection.AddWalletPostgresLedgerStore() : collection.AddWalletSqliteStores();
        using var services = collection.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(error.Failures, f => f.Contains(missing, StringComparison.Ordinal));
    }

    [Fact]
    public void TheSchemeVerifiesOnTheConfiguredNumberOfCores()
    {
        using var key = Ed25519SigningKey.Generate();
        using (var defaults = new ServiceCollection().AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey) = (key, key.PublicKey)).BuildServiceProvider())
        {
            Assert.Equal(Environment.ProcessorCount, defaults.GetRequiredService<BenefitScheme>().VerificationParallelism);
        }

        using var configured = new ServiceCollection()
            .AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey, o.VerificationParallelism) = (key, key.PublicKey, 3))
            .BuildServiceProvider();
        Assert.Equal(3, configured.GetRequiredService<BenefitScheme>().VerificationParallelism);

        using var invalid = new ServiceCollection()
            .AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey, o.VerificationParallelism) = (key, key.PublicKey, 0))
            .BuildServiceProvider();
        Assert.Throws<ArgumentOutOfRangeException>(() => invalid.GetRequiredService<BenefitScheme>());
    }

    [Fact]
    public async Task TheSchemeKeepsItsKeysetKeysInTheRegisteredKeyStore()
    {
        using var key = Ed25519SigningKey.Generate();
        using (var defaults = new ServiceCollection().AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey) = (key, key.PublicKey)).BuildServiceProvider())
        {
            Assert.IsType<InMemoryKeysetKeyStore>(defaults.GetRequiredService<IKeysetKeyStore>());
        }

        using var keys = new InMemoryKeysetKeyStore();
        await using var provider = new ServiceCollection()
            .AddSingleton<IKeysetKeyStore>(keys)
            .AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey) = (key, key.PublicKey))
            .BuildServiceProvider();
        var start = DateTimeOffset.UtcNow;
        var announced = await provider.GetRequiredService<BenefitScheme>().AnnounceKeysetAsync(
            new IdempotencyKey("k1"),
            new KeysetParameters(1, Amount.FromMinorUnits(100), "general", start, start.AddDays(30), start.AddDays(60), start.AddDays(90)));

        Assert.NotNull(await keys.TryLoadAsync(announced.Announcement.Descriptor.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ARegisteredSignerSourceTakesThePlaceOfTheKeyStore()
    {
        using var key = Ed25519SigningKey.Generate();
        using var keys = new InMemoryKeysetKeyStore();
        using var unused = new InMemoryKeysetKeyStore();
        await using var provider = new ServiceCollection()
            .AddSingleton<IKeysetKeyStore>(unused)
            .AddSingleton<IKeysetSignerSource>(new InProcessKeysetSignerSource(keys))
            .AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey) = (key, key.PublicKey))
            .BuildServiceProvider();
        var start = DateTimeOffset.UtcNow;
        var announced = await provider.GetRequiredService<BenefitScheme>().AnnounceKeysetAsync(
            new IdempotencyKey("k1"),
            new KeysetParameters(1, Amount.FromMinorUnits(100), "general", start, start.AddDays(30), start.AddDays(60), start.AddDays(90)));

        Assert.NotNull(await keys.TryLoadAsync(announced.Announcement.Descriptor.Id, CancellationToken.None));
        Assert.Null(await unused.TryLoadAsync(announced.Announcement.Descriptor.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ProviderKeepsItsPaymentsInTheSqliteProviderStoreElseInMemory()
    {
        using (var inMemory = new HostedRoundTrip())
        {
            Assert.IsType<InMemoryProviderStore>(inMemory.Services.GetRequiredService<IProviderStore>());
        }

        string directory = Directory.CreateTempSubdirectory("walletcore-hosting-").FullName;
        try
        {
            // Registered before AddWalletProvider: the SQLite store still takes the in-memory default's place.
            using (var world = new HostedRoundTrip(s => s.AddWalletSqliteProviderStore(o => o.Path = Path.Combine(directory, "provider.db"))))
            {
                Assert.IsType<SqliteProviderStore>(world.Services.GetRequiredService<IProviderStore>());
                var (honest, _) = await world.RunAsync();
                Assert.Equal(DepositStatus.Accepted, honest.Status);
            }

            Assert.True(File.Exists(Path.Combine(directory, "provider.db")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task SqliteStoresRegisteredBeforeTheSchemeStillReplaceTheInMemoryDefaults()
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-hosting-").FullName;
        try
        {
            using var key = Ed25519SigningKey.Generate();
            var services = new ServiceCollection()
                .AddWalletSqliteStores(o => o.Directory = directory)
                .AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey) = (key, key.PublicKey));
            Assert.Single(services, d => d.ServiceType == typeof(ILedgerStore));
            await using (var provider = services.BuildServiceProvider())
            {
                Assert.IsType<SqliteLedgerStore>(provider.GetRequiredService<ILedgerStore>());
                Assert.IsType<SqliteSchemeStore>(provider.GetRequiredService<ISchemeStore>());
                Assert.IsType<SqliteMerkleLogStore>(provider.GetRequiredService<IMerkleLogStore>());
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void PostgresLedgerRegisteredBeforeTheSqliteStoresKeepsTheLedger()
    {
        var services = new ServiceCollection()
            .AddWalletScheme()
            .AddWalletPostgresLedgerStore(o => o.ConnectionString = "Host=db")
            .AddWalletSqliteStores(o => o.Directory = Path.GetTempPath());
        var ledger = Assert.Single(services, d => d.ServiceType == typeof(ILedgerStore));
        Assert.Same(typeof(PostgresLedgerStore).Assembly, ledger.ImplementationFactory?.Method.DeclaringType?.Assembly);
        var state = Assert.Single(services, d => d.ServiceType == typeof(ISchemeStore));
        Assert.Same(typeof(SqliteSchemeStore).Assembly, state.ImplementationFactory?.Method.DeclaringType?.Assembly);
    }

    [Fact]
    public void HostingReferencesNoDatabase()
    {
        var references = typeof(WalletServiceCollectionExtensions).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToArray();
        Assert.DoesNotContain(references, r => r.StartsWith("Wallet.Storage", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Npgsql", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.Contains("Sqlite", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void EarlierRegistrationsWin()
    {
        var store = new InMemorySchemeStore();
        var log = new InMemoryMerkleLogStore();
        var services = new ServiceCollection();
        services.AddSingleton<ISchemeStore>(store);
        services.AddSingleton<IMerkleLogStore>(log);
        services.AddWalletScheme().AddWalletScheme();
        using var provider = services.BuildServiceProvider();
        Assert.Same(store, provider.GetRequiredService<ISchemeStore>());
        Assert.Same(log, provider.GetRequiredService<IMerkleLogStore>());
        Assert.Single(services, d => d.ServiceType == typeof(BenefitScheme));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<WalletSchemeOptions>));
    }

    // A shared lock as a host registers one: the in-process lock underneath, counting how often the scheme takes it.
    private sealed class CountingWriteLock : ISchemeWriteLock
    {
        private readonly InProcessSchemeWriteLock _inner = new();
        private int _entered;

        public int Entered => Volatile.Read(ref _entered);

        public ValueTask<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _entered);
            return _inner.EnterAsync(cancellationToken);
        }

        public ValueTask EnsureHeldAsync(CancellationToken cancellationToken) => _inner.EnsureHeldAsync(cancellationToken);
    }
}
