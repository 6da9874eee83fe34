using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Transport;

namespace PortableBenefits.Demo.Http;

/// <summary>
/// The pilot's scheme served over PB/1 HTTP (docs/http.md) on a loopback port, and the <see cref="HttpSchemeClient"/>
/// every wallet, provider and the auditor then use instead of calling the scheme in process. The operator's own calls
/// stay in process: the HTTP binding has no operator endpoints, by design.
/// </summary>
internal sealed class LoopbackSchemeFront : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private LoopbackSchemeFront(WebApplication app, HttpClient http, Uri address, HttpSchemeClient client)
    {
        _app = app;
        _http = http;
        Address = address;
        Client = client;
    }

    /// <summary>The PB/1 base address, prefix included.</summary>
    public Uri Address { get; }

    public ISchemeClient Client { get; }

    /// <summary>Listens on <paramref name="listen"/> (a loopback http URL; port 0 picks a free port) and maps the scheme under /pb1/.</summary>
    public static async Task<LoopbackSchemeFront> StartAsync(ISchemeClient scheme, Uri listen, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, listen.Port));
        var app = builder.Build();
        app.MapWalletScheme(scheme);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var address = new Uri(new Uri(bound.TrimEnd('/') + "/"), "pb1/");
        var http = new HttpClient();
        return new LoopbackSchemeFront(app, http, address, new HttpSchemeClient(http, new HttpSchemeClientOptions { BaseAddress = address }));
    }

    /// <summary>Whether <paramref name="text"/> is a URL this front can listen on: http, a loopback host, a port (0 for any).</summary>
    public static Uri? ParseListenUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && url.IsLoopback && url.AbsolutePath is "/" or "/pb1" or "/pb1/" ? url : null;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
