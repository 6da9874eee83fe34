using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wallet.Crypto.Merkle;
using Wallet.Protocol;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.DependencyInjection;

/// <summary>
/// AddWalletPostgresSchemeDatabase against the real server: the three stores are the database's and the database is the
/// scheme's transaction source, resolving opens nothing, and a ledger registered elsewhere leaves every store committing
/// on its own.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeDatabaseServiceCollectionExtensionsTests(PostgresFixture server)
{
    [Fact]
    public async Task TheDatabasesStoresAndTransactionsResolveWithoutOpeningAnything()
    {
        string schema = await server.NewSchemaAsync("dbdi");
        int opens = 0;
        var builder = new NpgsqlDataSourceBuilder(PostgresLedgerStore.TuneConnectionString(schema));
        builder.UsePhysicalConnectionInitializer(_ => Interlocked.Increment(ref opens), _ =>
        {
            Interlocked.Increment(ref opens);
            return Task.CompletedTask;
        });
        await using var dataSource = builder.Build();
        var services = new ServiceCollection().AddSingleton(dataSource).AddWalletPostgresSchemeDatabase(sp => sp.GetRequiredService<NpgsqlDataSource>());
        await using (var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }))
        {
            var database = provider.GetRequiredService<PostgresSchemeDatabase>();
            Assert.Same(database.Ledger, provider.GetRequiredService<ILedgerStore>());
            Assert.Same(database.Scheme, provider.GetRequiredService<ISchemeStore>());
            Assert.Same(database.Log, provider.GetRequiredService<IMerkleLogStore>());
            Assert.Same(database, provider.GetRequiredService<ISchemeTransactions>());
            Assert.Equal(0, opens);

            // The first operation migrates, then commits its writes in one transaction.
            var ledger = new SchemeLedger(database.Ledger, TimeProvider.System);
            var worker = new AccountId("worker-di");
            await database.RunAsync(ct => ledger.ContributeAsync(new IdempotencyKey("c"), ContributionSource.Employer, worker, Amount.FromMinorUnits(250), ct), CancellationToken.None);
            Assert.Equal(250, await ledger.GetBalanceAsync(LedgerAccount.Worker(worker)));
        }

        // The application's data source outlives the container.
        Assert.Equal(250L, await server.ScalarAsync(schema, "SELECT balance FROM balances WHERE key = 'worker-di'"));
    }

    [Fact]
    public async Task ALedgerRegisteredElsewhereLeavesEachStoreCommittingOnItsOwn()
    {
        string schema = await server.NewSchemaAsync("dbdi");
        await using var dataSource = NpgsqlDataSource.Create(schema);
        var ledgerStore = new InMemoryLedgerStore();
        var services = new ServiceCollection().AddSingleton<ILedgerStore>(ledgerStore).AddWalletPostgresSchemeDatabase(_ => dataSource);
        await using var provider = services.BuildServiceProvider();

        Assert.Same(ledgerStore, provider.GetRequiredService<ILedgerStore>());
        var transactions = provider.GetRequiredService<ISchemeTransactions>();
        Assert.NotSame(provider.GetRequiredService<PostgresSchemeDatabase>(), transactions);
        Assert.Equal(3, await transactions.RunAsync(_ => Task.FromResult(3), CancellationToken.None));
    }
}
