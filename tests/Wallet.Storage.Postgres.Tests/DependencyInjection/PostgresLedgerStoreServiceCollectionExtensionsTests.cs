using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Postgres.Ledger;

namespace Wallet.Storage.Postgres.Tests.DependencyInjection;

/// <summary>
/// AddWalletPostgresLedgerStore without a server: what it registers and how its options are checked. Nothing here
/// connects; the ledger tests in Ledger/ run against a real server.
/// </summary>
public sealed class PostgresLedgerStoreServiceCollectionExtensionsTests
{
    // Nothing listens here; a connection attempt would fail the test.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Timeout=1";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void EmptyConnectionStringFailsValidationAtStartUp(string? connectionString)
    {
        using var provider = new ServiceCollection().AddWalletPostgresLedgerStore(o => o.ConnectionString = connectionString).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.Contains(nameof(PostgresLedgerStoreOptions.ConnectionString), StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ILedgerStore>());
    }

    [Fact]
    public void ConnectionStringPassesValidationWithoutConnecting()
    {
        using var provider = new ServiceCollection().AddWalletPostgresLedgerStore(o => o.ConnectionString = Unreachable).BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(Unreachable, provider.GetRequiredService<IOptions<PostgresLedgerStoreOptions>>().Value.ConnectionString);
    }

    [Fact]
    public void LedgerStoreIsALazySingletonThatOpensAPostgresStore()
    {
        var services = new ServiceCollection().AddWalletPostgresLedgerStore(o => o.ConnectionString = Unreachable);

        var ledger = Assert.Single(services, d => d.ServiceType == typeof(ILedgerStore));

        Assert.Equal(ServiceLifetime.Singleton, ledger.Lifetime);
        Assert.Null(ledger.ImplementationInstance);
        Assert.NotNull(ledger.ImplementationFactory);
        Assert.Same(typeof(PostgresLedgerStore).Assembly, ledger.ImplementationFactory.Method.DeclaringType?.Assembly);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    [Fact]
    public void InMemoryDefaultRegisteredEarlierIsReplaced()
    {
        var services = new ServiceCollection()
            .AddSingleton<ILedgerStore, InMemoryLedgerStore>()
            .AddWalletPostgresLedgerStore(o => o.ConnectionString = Unreachable);

        var ledger = Assert.Single(services, d => d.ServiceType == typeof(ILedgerStore));

        Assert.Null(ledger.ImplementationType);
        Assert.NotNull(ledger.ImplementationFactory);
    }

    [Fact]
    public void LedgerStoreTheAppRegisteredFirstIsKept()
    {
        var mine = new InMemoryLedgerStore();
        var services = new ServiceCollection().AddSingleton<ILedgerStore>(mine).AddWalletPostgresLedgerStore(o => o.ConnectionString = Unreachable);

        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<ILedgerStore>());
    }

    [Fact]
    public void CallingTwiceRegistersTheStoreAndValidatorOnce()
    {
        var services = new ServiceCollection()
            .AddWalletPostgresLedgerStore(o => o.ConnectionString = Unreachable)
            .AddWalletPostgresLedgerStore(o => o.ConnectionString = Unreachable);

        Assert.Single(services, d => d.ServiceType == typeof(ILedgerStore));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<PostgresLedgerStoreOptions>));
    }
}
