using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;

namespace Wallet.Storage.Sqlite.Tests.DependencyInjection;

/// <summary>
/// AddWalletSqliteStores on its own (the hosting tests cover it together with AddWalletScheme): one SQLite database in
/// a directory, opened at first resolution, its transactions only when all three stores are its own, and no store
/// without a directory.
/// </summary>
public sealed class SqliteWalletStoreServiceCollectionExtensionsTests
{
    [Fact]
    public async Task ResolvedStoresAreSqliteFilesInTheConfiguredDirectory()
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-sqlite-di-").FullName;
        try
        {
            await using (var provider = Provider(directory))
            {
                Assert.IsType<SqliteLedgerStore>(provider.GetRequiredService<ILedgerStore>());
                Assert.IsType<SqliteSchemeStore>(provider.GetRequiredService<ISchemeStore>());
                Assert.IsType<SqliteMerkleLogStore>(provider.GetRequiredService<IMerkleLogStore>());

                // All three are the database's, so the scheme commits each operation in one of its transactions.
                Assert.Same(provider.GetRequiredService<SqliteSchemeDatabase>(), provider.GetRequiredService<ISchemeTransactions>());
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
    public async Task ALedgerRegisteredElsewhereLeavesEachStoreCommittingOnItsOwn()
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-sqlite-di-").FullName;
        try
        {
            var services = new ServiceCollection();
            var ledgerStore = new InMemoryLedgerStore();
            services.AddSingleton<ILedgerStore>(ledgerStore);
            services.AddWalletSqliteStores(o => o.Directory = directory);
            await using (var provider = services.BuildServiceProvider())
            {
                Assert.Same(ledgerStore, provider.GetRequiredService<ILedgerStore>());
                var transactions = provider.GetRequiredService<ISchemeTransactions>();
                Assert.NotSame(provider.GetRequiredService<SqliteSchemeDatabase>(), transactions);

                // It runs the operation as it is: no transaction of the database is open around it.
                Assert.Equal(3, await transactions.RunAsync(_ => Task.FromResult(3), CancellationToken.None));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task WritesThroughOneProviderAreReadByTheNextOnTheSameDirectory()
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-sqlite-di-").FullName;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var worker = new AccountId("worker-1");
        using var accountKey = Ed25519SigningKey.Generate();
        try
        {
            await using (var provider = Provider(directory))
            {
                var ledger = new SchemeLedger(provider.GetRequiredService<ILedgerStore>(), time);
                Assert.True((await ledger.ContributeAsync(new IdempotencyKey("c1"), ContributionSource.Employer, worker, Amount.FromMinorUnits(250))).Succeeded);
                await provider.GetRequiredService<ISchemeStore>().PutAccountKeyAsync(worker, accountKey.PublicKey, CancellationToken.None);
                await new MerkleLog(provider.GetRequiredService<IMerkleLogStore>()).AppendAsync(new byte[] { 1, 2, 3 });
            }

            await using (var reopened = Provider(directory))
            {
                var ledger = new SchemeLedger(reopened.GetRequiredService<ILedgerStore>(), time);
                Assert.Equal(250, await ledger.GetBalanceAsync(LedgerAccount.Worker(worker)));
                Assert.Equal(accountKey.PublicKey, await reopened.GetRequiredService<ISchemeStore>().GetAccountKeyAsync(worker, CancellationToken.None));
                var log = new MerkleLog(reopened.GetRequiredService<IMerkleLogStore>());
                Assert.Equal(1UL, await log.GetSizeAsync());
                Assert.Equal(MerkleTree.HashLeaf([1, 2, 3]), await log.GetRootAsync(1));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task MissingDirectoryIsCreatedAtFirstResolution()
    {
        string parent = Directory.CreateTempSubdirectory("walletcore-sqlite-di-").FullName;
        string directory = Path.Combine(parent, "scheme", "data");
        try
        {
            await using (var provider = Provider(directory))
            {
                Assert.False(Directory.Exists(directory));
                provider.GetRequiredService<IMerkleLogStore>();
                Assert.True(File.Exists(Path.Combine(directory, SqliteSchemeDatabase.DefaultFileName)));
            }
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task StoreWithoutADirectoryFailsOptionsValidationAtResolution(string? directory)
    {
        await using var provider = Provider(directory);

        var ledger = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ILedgerStore>());
        Assert.Contains(ledger.Failures, f => f.Contains(nameof(SqliteWalletStoreOptions.Directory), StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ISchemeStore>());
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IMerkleLogStore>());
    }

    [Fact]
    public void StoresRegisteredByTheAppBeforeAreKept()
    {
        var ledger = new InMemoryLedgerStore();
        var services = new ServiceCollection().AddSingleton<ILedgerStore>(ledger).AddWalletSqliteStores(o => o.Directory = Path.GetTempPath());

        using var provider = services.BuildServiceProvider();

        Assert.Same(ledger, provider.GetRequiredService<ILedgerStore>());
        Assert.Single(services, d => d.ServiceType == typeof(ILedgerStore));
    }

    [Fact]
    public void CallingTwiceRegistersEachStoreAndValidatorOnce()
    {
        var services = new ServiceCollection()
            .AddWalletSqliteStores(o => o.Directory = Path.GetTempPath())
            .AddWalletSqliteStores(o => o.Directory = Path.GetTempPath());

        Assert.Single(services, d => d.ServiceType == typeof(ILedgerStore));
        Assert.Single(services, d => d.ServiceType == typeof(ISchemeStore));
        Assert.Single(services, d => d.ServiceType == typeof(IMerkleLogStore));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<SqliteWalletStoreOptions>));
    }

    private static ServiceProvider Provider(string? directory) =>
        new ServiceCollection().AddWalletSqliteStores(o => o.Directory = directory).BuildServiceProvider();
}
