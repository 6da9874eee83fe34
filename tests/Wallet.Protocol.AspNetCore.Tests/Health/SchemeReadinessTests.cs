using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Sqlite.Scheme;

namespace Wallet.Protocol.AspNetCore.Tests.Health;

/// <summary>
/// Liveness and readiness over real HTTP: a scheme is ready when its stores answer and it holds the signing key of
/// every keyset a worker may withdraw from now. A second node over the same stores that lacks the keys (what a
/// multi-node deployment sees after another node announced a keyset) and a scheme whose store is gone are not ready.
/// </summary>
public sealed class SchemeReadinessTests
{
    [Fact]
    public async Task ASchemeWithItsKeysIsReadyAndANodeWithoutThemIsNot()
    {
        var ledgerStore = new InMemoryLedgerStore();
        var schemeStore = new InMemorySchemeStore();
        var logStore = new InMemoryMerkleLogStore();
        using var world = await ProtocolWorld.CreateAsync(ledgerStore, schemeStore, logStore);
        Assert.Empty(await world.Scheme.ListUnsignableKeysetsAsync());

        // Same stores, no key store of its own: every withdrawable keyset is one it cannot sign for.
        var otherNode = new BenefitScheme(world.SchemeKey, world.AccreditationKey.PublicKey, new SchemeLedger(ledgerStore, world.Time), schemeStore, logStore, world.Time);
        var unsignable = await otherNode.ListUnsignableKeysetsAsync();
        Assert.Equal(
            world.AllKeysets.Where(k => k.IsWithdrawable(world.Time.GetUtcNow())).Select(k => k.Id).Order(),
            unsignable.Order());
        Assert.NotEmpty(unsignable);

        await using (var ready = await HealthHost.StartAsync(world.Scheme))
        {
            Assert.Equal(HttpStatusCode.OK, await ready.StatusAsync("/healthz/live"));
            Assert.Equal(HttpStatusCode.OK, await ready.StatusAsync("/healthz/ready"));
        }

        await using var notReady = await HealthHost.StartAsync(otherNode);
        Assert.Equal(HttpStatusCode.OK, await notReady.StatusAsync("/healthz/live"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await notReady.StatusAsync("/healthz/ready"));
    }

    [Fact]
    public async Task ASchemeWhoseStoreIsGoneIsNotReadyAndSaysNothingOfThePath()
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-ready-").FullName;
        try
        {
            string path = Path.Combine(directory, "scheme.db");
            var store = SqliteSchemeStore.Open(path);
            using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), store, new InMemoryMerkleLogStore());
            await using var host = await HealthHost.StartAsync(world.Scheme);
            Assert.Equal(HttpStatusCode.OK, await host.StatusAsync("/healthz/ready"));

            store.Dispose();
            var (status, body) = await host.GetAsync("/healthz/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", body);
            Assert.DoesNotContain(directory, body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, await host.StatusAsync("/healthz/live"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("healthz")]
    public void HealthPathsStartWithASlash(string path)
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        Assert.Throws<ArgumentException>(() => app.MapWalletHealthChecks(livePath: path));
        Assert.Throws<ArgumentException>(() => app.MapWalletHealthChecks(readyPath: path));
    }

    private sealed class HealthHost : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _http;

        private HealthHost(WebApplication app, Uri root)
        {
            _app = app;
            _http = new HttpClient { BaseAddress = root };
        }

        public static async Task<HealthHost> StartAsync(BenefitScheme scheme)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
            builder.Services.AddSingleton(scheme);
            builder.Services.AddHealthChecks().AddWalletSchemeReadiness();
            var app = builder.Build();
            app.MapWalletHealthChecks();
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new HealthHost(app, new Uri(address));
        }

        public async Task<HttpStatusCode> StatusAsync(string path) => (await GetAsync(path)).Status;

        public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
        {
            using var response = await _http.GetAsync(path);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
