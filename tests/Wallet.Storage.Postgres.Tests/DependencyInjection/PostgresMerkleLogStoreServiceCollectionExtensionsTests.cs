using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Wallet.Crypto.Merkle;
using Wallet.Storage.Postgres.Merkle;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.DependencyInjection;

/// <summary>AddWalletPostgresMerkleLogStore: what it registers, how its options are checked, and the store it resolves on the real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMerkleLogStoreServiceCollectionExtensionsTests(PostgresFixture server)
{
    // Nothing listens here; a connection attempt would fail the test.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Timeout=1";

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void EmptyConnectionStringFailsValidationAtStartUp(string? connectionString)
    {
        using var provider = new ServiceCollection().AddWalletPostgresMerkleLogStore(o => o.ConnectionString = connectionString).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.Contains(nameof(PostgresMerkleLogStoreOptions.ConnectionString), StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IMerkleLogStore>());
    }

    [Fact]
    public async Task TheInMemoryDefaultIsReplacedByAStoreThatOpensNothingWhenResolved()
    {
        var services = new ServiceCollection()
            .AddSingleton<IMerkleLogStore, InMemoryMerkleLogStore>()
            .AddWalletPostgresMerkleLogStore(o => o.ConnectionString = Unreachable);

        var registration = Assert.Single(services, d => d.ServiceType == typeof(IMerkleLogStore));
        Assert.Equal(ServiceLifetime.Singleton, registration.Lifetime);
        Assert.NotNull(registration.ImplementationFactory);

        await using var provider = services.BuildServiceProvider();
        Assert.IsType<PostgresMerkleLogStore>(provider.GetRequiredService<IMerkleLogStore>());
    }

    [Fact]
    public void AStoreRegisteredEarlierWins()
    {
        var mine = new InMemoryMerkleLogStore();
        var services = new ServiceCollection()
            .AddSingleton<IMerkleLogStore>(mine)
            .AddWalletPostgresMerkleLogStore(o => o.ConnectionString = Unreachable)
            .AddWalletPostgresMerkleLogStore(_ => throw new InvalidOperationException("not resolved"));

        using var provider = services.BuildServiceProvider();
        Assert.Same(mine, provider.GetRequiredService<IMerkleLogStore>());
    }

    [Fact]
    public async Task TheStoreOnADataSourceFromDiMigratesAtItsFirstAppendAndLeavesTheDataSourceToItsOwner()
    {
        string schema = await server.NewSchemaAsync("merkle");
        await using var dataSource = NpgsqlDataSource.Create(schema);
        var services = new ServiceCollection()
            .AddKeyedSingleton("walletcore", dataSource)
            .AddWalletPostgresMerkleLogStore(sp => sp.GetRequiredKeyedService<NpgsqlDataSource>("walletcore"));

        await using (var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }))
        {
            var log = new MerkleLog(Assert.IsType<PostgresMerkleLogStore>(provider.GetRequiredService<IMerkleLogStore>()));
            Assert.Equal(0L, await server.ScalarAsync(schema, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"));

            Assert.Equal(0UL, await log.AppendAsync(new byte[] { 1 }));
            Assert.Equal(PostgresMerkleLogStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM merkle_schema"));
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var count = new NpgsqlCommand("SELECT leaf_count FROM merkle_head", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task TheConnectionStringRegistrationReachesTheServer()
    {
        string schema = await server.NewSchemaAsync("merkle");
        await using var provider = new ServiceCollection().AddWalletPostgresMerkleLogStore(o => o.ConnectionString = schema).BuildServiceProvider();

        var log = new MerkleLog(provider.GetRequiredService<IMerkleLogStore>());
        await log.AppendAsync(new byte[] { 1 });
        await log.AppendAsync(new byte[] { 2 });

        Assert.Equal(2L, await server.ScalarAsync(schema, "SELECT leaf_count FROM merkle_head"));
    }
}
