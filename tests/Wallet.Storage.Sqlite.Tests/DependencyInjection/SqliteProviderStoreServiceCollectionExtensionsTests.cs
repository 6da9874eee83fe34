using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wallet.Protocol.Providers;
using Wallet.Storage.Sqlite.Providers;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.DependencyInjection;

/// <summary>AddWalletSqliteProviderStore: the provider's SQLite file, in place of the in-memory default, and no store without a path.</summary>
public sealed class SqliteProviderStoreServiceCollectionExtensionsTests
{
    [Fact]
    public async Task StoreIsTheSqliteFileInPlaceOfTheInMemoryDefaultAndKeepsItsState()
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-sqlite-di-").FullName;
        string path = Path.Combine(directory, "till", "provider.db");
        var request = new MessageSamples(31).Request();
        try
        {
            // AddWalletProvider registers the in-memory store by its type; the SQLite one takes its place.
            var services = new ServiceCollection().AddSingleton<IProviderStore, InMemoryProviderStore>().AddWalletSqliteProviderStore(o => o.Path = path);
            Assert.Single(services, d => d.ServiceType == typeof(IProviderStore));
            await using (var provider = services.BuildServiceProvider())
            {
                var store = Assert.IsType<SqliteProviderStore>(provider.GetRequiredService<IProviderStore>());
                await store.AddOpenRequestAsync(request, CancellationToken.None);
            }

            await using var reopened = new ServiceCollection().AddWalletSqliteProviderStore(o => o.Path = path).BuildServiceProvider();
            Assert.Equal(ProviderPaymentStatus.Open, (await reopened.GetRequiredService<IProviderStore>().GetPaymentStateAsync(request.Id, CancellationToken.None)).Status);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void StoreRegisteredByTheAppBeforeIsKept()
    {
        var mine = new InMemoryProviderStore();
        using var provider = new ServiceCollection().AddSingleton<IProviderStore>(mine).AddWalletSqliteProviderStore(o => o.Path = "unused.db").BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<IProviderStore>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public async Task StoreWithoutAPathFailsOptionsValidationAtResolution(string? path)
    {
        await using var provider = new ServiceCollection().AddWalletSqliteProviderStore(o => o.Path = path).BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IProviderStore>());
        Assert.Contains(failure.Failures, f => f.Contains(nameof(SqliteProviderStoreOptions.Path), StringComparison.Ordinal));
    }
}
