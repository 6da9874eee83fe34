using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Roles;

namespace Wallet.Protocol.AspNetCore.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 with a random port, serving a scheme; disposed with the test.</summary>
public sealed class LoopbackScheme : IDisposable
{
    private readonly WebApplication _app;

    private LoopbackScheme(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    /// <summary>The server's root, e.g. http://127.0.0.1:port/.</summary>
    public Uri Address { get; }

    /// <summary>A raw client for hostile requests.</summary>
    public HttpClient Http { get; }

    /// <summary>The PB/1 base address (root + /pb1/).</summary>
    public Uri SchemeAddress => new(Address, "pb1/");

    public static async Task<LoopbackScheme> StartAsync(
        ISchemeClient? scheme,
        Action<WalletSchemeEndpointOptions>? configure = null,
        Action<WebApplication>? map = null,
        Action<KestrelServerOptions>? kestrel = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            kestrel?.Invoke(o);
        });
        var app = builder.Build();
        if (scheme is not null)
        {
            app.MapWalletScheme(scheme, configure);
        }

        map?.Invoke(app);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackScheme(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>A typed client over a fresh HttpClient (optionally through a handler).</summary>
    public HttpSchemeClient Client(Action<HttpSchemeClientOptions>? configure = null, HttpMessageHandler? handler = null)
    {
        var options = new HttpSchemeClientOptions { BaseAddress = SchemeAddress, RetryDelay = TimeSpan.FromMilliseconds(20), AttemptTimeout = TimeSpan.FromSeconds(20) };
        configure?.Invoke(options);
        var http = handler is null ? Http : new HttpClient(handler);
        return new HttpSchemeClient(http, options);
    }

    public void Dispose()
    {
        Http.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
    }
}
