using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Providers;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Providers;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.DependencyInjection;

/// <summary>
/// The stores over an <see cref="NpgsqlDataSource"/> that the application registers in DI, against the real server:
/// resolving them opens nothing, every physical connection is opened asynchronously (counted by the data source's own
/// initializers), the first operation migrates the schema, and disposing the container leaves the application's data
/// source usable.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDataSourceRegistrationTests(PostgresFixture server)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task StoresOnAKeyedDataSourceFromDiOpenOnlyAsynchronouslyAndLeaveItToItsOwner()
    {
        string schema = await server.NewSchemaAsync("injected");
        int syncOpens = 0, asyncOpens = 0;
        var builder = new NpgsqlDataSourceBuilder(PostgresLedgerStore.TuneConnectionString(schema));
        builder.UsePhysicalConnectionInitializer(_ => Interlocked.Increment(ref syncOpens), _ =>
        {
            Interlocked.Increment(ref asyncOpens);
            return Task.CompletedTask;
        });
        await using var dataSource = builder.Build();
        var services = new ServiceCollection()
            .AddKeyedSingleton("walletcore", dataSource)
            .AddWalletPostgresLedgerStore(sp => sp.GetRequiredKeyedService<NpgsqlDataSource>("walletcore"))
            .AddWalletPostgresProviderStore(sp => sp.GetRequiredKeyedService<NpgsqlDataSource>("walletcore"));

        await using (var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }))
        {
            var ledger = Assert.IsType<PostgresLedgerStore>(provider.GetRequiredService<ILedgerStore>());
            var providerStore = Assert.IsType<PostgresProviderStore>(provider.GetRequiredService<IProviderStore>());
            Assert.Equal(0, asyncOpens + syncOpens);
            Assert.Equal(0L, await server.ScalarAsync(schema, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"));

            await using (var read = await ledger.BeginReadAsync(None))
            {
                Assert.Equal(0, await read.GetBalanceAsync(LedgerAccount.DefaultPool, None));
            }

            Assert.Empty(await providerStore.ListSplitViewsAsync(None));
            Assert.Equal(PostgresLedgerStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM ledger_schema"));
            Assert.Equal(PostgresProviderStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM provider_schema"));
        }

        Assert.Equal(0, syncOpens);
        Assert.True(asyncOpens >= 1);

        // The container disposed the stores, not the application's data source.
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(0, syncOpens);
    }

    [Fact]
    public async Task AStoreCreatedOnADataSourceMigratesOnceWhateverCallsComeFirst()
    {
        string schema = await server.NewSchemaAsync("injected");
        await using var dataSource = NpgsqlDataSource.Create(schema);
        await using var store = PostgresLedgerStore.Create(dataSource);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var read = await store.BeginReadAsync(None);
            await read.GetHeadAsync(None);
        }));
        await store.MigrateAsync();

        Assert.Equal(1L, await server.ScalarAsync(schema, "SELECT count(*) FROM ledger_schema"));
    }
}
