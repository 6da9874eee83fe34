using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Sqlite.Ledger;

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
    public async Task SqliteStoreKeepsTheLedgerInTheConfiguredDirectory()
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-hosting-").FullName;
        try
        {
            using (var world = new HostedRoundTrip(o =>
            {
                o.Store = WalletStoreKind.Sqlite;
                o.SqliteDirectory = directory;
            }))
            {
                Assert.IsType<SqliteLedgerStore>(world.Services.GetRequiredService<ILedgerStore>());
                var (honest, _) = await world.RunAsync();
                Assert.Equal(DepositStatus.Accepted, honest.Status);
            }

            Assert.True(File.Exists(Path.Combine(directory, "ledger.db")));
            Assert.True(File.Exists(Path.Combine(directory, "scheme.db")));
            Assert.True(File.Exists(Path.Combine(directory, "log.db")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void MissingSchemeKeysFailValidationAtStart()
    {
        using var services = new ServiceCollection().AddWalletScheme(o => o.Store = WalletStoreKind.InMemory).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(error.Failures, f => f.Contains(nameof(WalletSchemeOptions.SchemeKey), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(WalletSchemeOptions.AccreditationKey), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(WalletStoreKind.Sqlite, nameof(WalletSchemeOptions.SqliteDirectory))]
    [InlineData(WalletStoreKind.Postgres, nameof(WalletSchemeOptions.PostgresConnectionString))]
    public void StoreWithoutItsLocationFailsValidation(WalletStoreKind store, string missing)
    {
        using var key = Ed25519SigningKey.Generate();
        using var services = new ServiceCollection().AddWalletScheme(o =>
        {
            o.SchemeKey = key;
            o.AccreditationKey = key.PublicKey;
            o.Store = store;
            o.SqliteDirectory = store == WalletStoreKind.Postgres ? Path.GetTempPath() : null;
        }).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WalletSchemeOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains(missing, StringComparison.Ordinal));
    }

    [Fact]
    public void ProviderReceiptKeyOtherThanTheRecordsFailsValidation()
    {
        using var recordKey = Ed25519SigningKey.Generate();
        using var otherKey = Ed25519SigningKey.Generate();
        var now = TimeProvider.System.GetUtcNow();
        using var services = new ServiceCollection().AddWalletProvider(o =>
        {
            o.Record = new ProviderRecord(new AccountId("union-a"), "Union A", ["union"], recordKey.PublicKey, now, now.AddDays(1));
            o.ReceiptKey = otherKey;
            o.SchemeKey = recordKey.PublicKey;
        }).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<AccreditedProvider>());
        Assert.Contains(error.Failures, f => f.Contains(nameof(WalletProviderOptions.ReceiptKey), StringComparison.Ordinal));
    }

    [Fact]
    public void ClientWithoutPinnedKeysFailsValidationAtStart()
    {
        using var services = new ServiceCollection().AddWalletClient().BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public void EarlierRegistrationsWin()
    {
        var store = new InMemorySchemeStore();
        var log = new InMemoryMerkleLogStore();
        var services = new ServiceCollection();
        services.AddSingleton<ISchemeStore>(store);
        services.AddSingleton<IMerkleLogStore>(log);
        services.AddWalletScheme().AddWalletScheme(o => o.Store = WalletStoreKind.InMemory);
        using var provider = services.BuildServiceProvider();
        Assert.Same(store, provider.GetRequiredService<ISchemeStore>());
        Assert.Same(log, provider.GetRequiredService<IMerkleLogStore>());
        Assert.Single(services, d => d.ServiceType == typeof(BenefitScheme));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<WalletSchemeOptions>));
    }

    [Fact]
    public void SchemeStartLogsTheStoreKindAndNoSecret()
    {
        var sink = new ListLoggerProvider();
        using var key = Ed25519SigningKey.Generate(exportable: true);
        const string password = "hunter2-not-for-logs";
        var services = new ServiceCollection().AddSingleton<ILoggerFactory>(sink).AddWalletScheme(o =>
        {
            o.SchemeKey = key;
            o.AccreditationKey = key.PublicKey;
            o.Store = WalletStoreKind.InMemory;
            o.PostgresConnectionString = $"Host=db;Password={password}";
        });
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<BenefitScheme>();
        string logged = string.Join('\n', sink.Messages);
        Assert.Contains("InMemory", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(password, logged, StringComparison.Ordinal);
        byte[] seed = new byte[32];
        key.ExportSeed(seed);
        Assert.DoesNotContain(Convert.ToHexString(seed), logged, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(seed), logged, StringComparison.Ordinal);
    }
}
