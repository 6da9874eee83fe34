using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Roles;

namespace Wallet.Benchmarks.Http;

/// <summary>Kestrel on 127.0.0.1 (random port) serving a scheme, and a typed client to it: the loopback figure of the HTTP benchmarks.</summary>
public sealed class LoopbackSchemeServer : IDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private LoopbackSchemeServer(WebApplication app, Uri address)
    {
        _app = app;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 });
        Client = new HttpSchemeClient(_http, new HttpSchemeClientOptions { BaseAddress = new Uri(address, "pb1/") });
    }

    public HttpSchemeClient Client { get; }

    public static LoopbackSchemeServer Start(ISchemeClient scheme)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapWalletScheme(scheme, o => o.MaxBodyBytes = 4 * 1024 * 1024);
        app.StartAsync().GetAwaiter().GetResult();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackSchemeServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public void Dispose()
    {
        _http.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
    }
}
