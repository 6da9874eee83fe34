using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Scheme;
using Wallet.Storage.Postgres.Tests.Server;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Postgres.Tests.DependencyInjection;

/// <summary>
/// AddWalletPostgresSchemeStore: what it registers and how its options are checked (nothing connects), and, against the
/// real server, the store on the application's data source shared with the ledger store.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeStoreServiceCollectionExtensionsTests(PostgresFixture server)
{
    // Nothing listens here; a connection attempt would fail the test.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Timeout=1";
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void EmptyConnectionStringFailsValidationAtStartUp(string? connectionString)
    {
        using var provider = new ServiceCollection().AddWalletPostgresSchemeStore(o => o.ConnectionString = connectionString).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.Contains(nameof(PostgresSchemeStoreOptions.ConnectionString), StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ISchemeStore>());
    }

    [Fact]
    public async Task TheInMemoryDefaultIsReplacedByALazyPostgresStoreThatOpensNothingWhenResolved()
    {
        var services = new ServiceCollection()
            .AddSingleton<ISchemeStore, InMemorySchemeStore>()
            .AddWalletPostgresSchemeStore(o => o.ConnectionString = Unreachable);

        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(ISchemeStore));
        Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        Assert.NotNull(descriptor.ImplementationFactory);

        await using var provider = services.BuildServiceProvider();
        Assert.IsType<PostgresSchemeStore>(provider.GetRequiredService<ISchemeStore>());
    }

    [Fact]
    public void AStoreTheAppRegisteredFirstWins()
    {
        var mine = new InMemorySchemeStore();
        var services = new ServiceCollection()
            .AddSingleton<ISchemeStore>(mine)
            .AddWalletPostgresSchemeStore(sp => throw new InvalidOperationException("Not resolved."));

        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<ISchemeStore>());
    }

    [Fact]
    public void NullArgumentsAreRefused()
    {
        Assert.Throws<ArgumentNullException>("services", () => ((IServiceCollection)null!).AddWalletPostgresSchemeStore(_ => null!));
        Assert.Throws<ArgumentNullException>("dataSource", () => new ServiceCollection().AddWalletPostgresSchemeStore((Func<IServiceProvider, NpgsqlDataSource>)null!));
    }

    [Fact]
    public async Task TheSchemeAndLedgerStoresShareTheAppsDataSourceAndLeaveItToItsOwner()
    {
        string schema = await server.NewSchemaAsync("injected");
        await using var dataSource = NpgsqlDataSource.Create(schema);
        var spend = new MessageSamples(91).Spend();
        var services = new ServiceCollection()
            .AddSingleton(dataSource)
            .AddWalletPostgresLedgerStore(sp => sp.GetRequiredService<NpgsqlDataSource>())
            .AddWalletPostgresSchemeStore(sp => sp.GetRequiredService<NpgsqlDataSource>());

        await using (var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }))
        {
            var scheme = Assert.IsType<PostgresSchemeStore>(provider.GetRequiredService<ISchemeStore>());
            var ledger = Assert.IsType<PostgresLedgerStore>(provider.GetRequiredService<ILedgerStore>());
            Assert.Equal(0L, await server.ScalarAsync(schema, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"));

            await scheme.PutSpendsAsync([spend], None);
            await ledger.MigrateAsync(None);
            Assert.Equal(PostgresSchemeStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM scheme_schema"));
            Assert.Equal(PostgresLedgerStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM ledger_schema"));
        }

        // The container disposed the stores, not the application's data source.
        await using var again = await PostgresSchemeStore.OpenAsync(dataSource);
        Assert.Equal(spend.Encode(), (await again.GetSpendAsync(spend.Coin.Id, None))!.Encode());
    }
}
