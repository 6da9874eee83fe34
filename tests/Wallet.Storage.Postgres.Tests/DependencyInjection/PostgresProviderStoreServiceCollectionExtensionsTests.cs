using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wallet.Protocol.Providers;
using Wallet.Storage.Postgres.Providers;

namespace Wallet.Storage.Postgres.Tests.DependencyInjection;

/// <summary>AddWalletPostgresProviderStore without a server: what it registers and how its options are checked. Nothing here connects.</summary>
public sealed class PostgresProviderStoreServiceCollectionExtensionsTests
{
    // Nothing listens here; a connection attempt would fail the test.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Timeout=1";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void EmptyConnectionStringFailsValidationAtStartUp(string? connectionString)
    {
        using var provider = new ServiceCollection().AddWalletPostgresProviderStore(o => o.ConnectionString = connectionString).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.Contains(nameof(PostgresProviderStoreOptions.ConnectionString), StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IProviderStore>());
    }

    [Fact]
    public void TheInMemoryDefaultIsReplacedByALazyPostgresStore()
    {
        var services = new ServiceCollection()
            .AddSingleton<IProviderStore, InMemoryProviderStore>()
            .AddWalletPostgresProviderStore(o => o.ConnectionString = Unreachable);

        var store = Assert.Single(services, d => d.ServiceType == typeof(IProviderStore));

        Assert.Equal(ServiceLifetime.Singleton, store.Lifetime);
        Assert.Null(store.ImplementationInstance);
        Assert.NotNull(store.ImplementationFactory);
        Assert.Same(typeof(PostgresProviderStore).Assembly, store.ImplementationFactory.Method.DeclaringType?.Assembly);
    }
}
