using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Providers;

namespace Wallet.Storage.Postgres.Tests.DependencyInjection;

/// <summary>
/// No server at all: a container with the PostgreSQL stores builds and resolves them without touching the network
/// (a connection attempt to the closed port would fail the resolution), and the first operation is the one that fails,
/// with the store's typed error. The data source's owner may also fix the server and retry: nothing failed is cached.
/// </summary>
public sealed class PostgresUnreachableRegistrationTests
{
    // Nothing listens here.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Timeout=1";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AClosedPortResolvesFineAndTheFirstOperationFailsTypedThroughAnInjectedDataSource()
    {
        await using var dataSource = NpgsqlDataSource.Create(Unreachable);
        var services = new ServiceCollection()
            .AddSingleton(dataSource)
            .AddWalletPostgresLedgerStore(sp => sp.GetRequiredService<NpgsqlDataSource>())
            .AddWalletPostgresProviderStore(sp => sp.GetRequiredService<NpgsqlDataSource>());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var ledger = provider.GetRequiredService<ILedgerStore>();
        var providerStore = provider.GetRequiredService<IProviderStore>();

        await AssertFailsTypedAsync(ledger);
        await AssertFailsTypedAsync(ledger);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => providerStore.ListSplitViewsAsync(None).AsTask());
    }

    [Fact]
    public async Task AClosedPortResolvesFineAndTheFirstOperationFailsTypedThroughAConnectionString()
    {
        var services = new ServiceCollection()
            .AddWalletPostgresLedgerStore(o => o.ConnectionString = Unreachable)
            .AddWalletPostgresProviderStore(o => o.ConnectionString = Unreachable);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var ledger = provider.GetRequiredService<ILedgerStore>();
        var providerStore = provider.GetRequiredService<IProviderStore>();

        await AssertFailsTypedAsync(ledger);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => providerStore.ListSplitViewsAsync(None).AsTask());
    }

    [Fact]
    public void NullArgumentsAreRefused()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentNullException>(() => services.AddWalletPostgresLedgerStore((Func<IServiceProvider, NpgsqlDataSource>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddWalletPostgresProviderStore((Func<IServiceProvider, NpgsqlDataSource>)null!));
        Assert.Throws<ArgumentNullException>(() => Wallet.Storage.Postgres.Ledger.PostgresLedgerStore.Create(null!));
        Assert.Throws<ArgumentNullException>(() => Wallet.Storage.Postgres.Providers.PostgresProviderStore.Create(null!));
    }

    private static async Task AssertFailsTypedAsync(ILedgerStore ledger)
    {
        var read = await Assert.ThrowsAsync<LedgerStoreException>(() => ledger.BeginReadAsync(None).AsTask());
        Assert.IsType<NpgsqlException>(read.InnerException, exactMatch: false);
        await Assert.ThrowsAsync<LedgerStoreException>(() => ledger.BeginWriteAsync(None).AsTask());
    }
}
