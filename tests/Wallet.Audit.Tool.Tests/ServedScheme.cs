using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wallet.Protocol.Schemes;

namespace Wallet.Audit.Tool.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 with a random port serving a scheme's PB/1 endpoints and its tiled log under /pb1.</summary>
public sealed class ServedScheme : IAsyncDisposable
{
    /// <summary>The checkpoints' origin: the scheme's own (a test world's scheme keeps the default).</summary>
    public const string Origin = BenefitScheme.DefaultCheckpointOrigin;

    private readonly WebApplication _app;

    private ServedScheme(WebApplication app, Uri url) => (_app, Url) = (app, url);

    /// <summary>The scheme URL the tool is given: http://127.0.0.1:port/pb1/.</summary>
    public Uri Url { get; }

    public static async Task<ServedScheme> StartAsync(BenefitScheme scheme, Action<WebApplication>? before = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        before?.Invoke(app);
        app.MapWalletScheme(scheme);
        app.MapWalletSchemeTiles(scheme, o => o.Origin = Origin);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ServedScheme(app, new Uri(address.TrimEnd('/') + "/pb1/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
