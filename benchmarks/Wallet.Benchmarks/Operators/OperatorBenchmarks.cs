using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wallet.Benchmarks.Protocol;
using Wallet.Protocol;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Roles;

namespace Wallet.Benchmarks.Operators;

/// <summary>
/// Payroll through the operator surface, in process and over the authenticated operator API on loopback (bearer key
/// hashed and compared per request, replay memory, canonical bodies): the HTTP binding's cost per contribution.
/// </summary>
[MemoryDiagnoser]
public class OperatorBenchmarks
{
    private ProtocolBenchmarkWorld _world = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private ISchemeOperator _loopback = null!;
    private long _next;

    /// <summary>Serves <paramref name="scheme"/>'s operator API on 127.0.0.1 under a fresh key; returns the app, its HttpClient and a client.</summary>
    public static (WebApplication App, HttpClient Http, HttpSchemeOperatorClient Client) StartLoopback(ISchemeOperator scheme)
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapWalletSchemeOperator(scheme, o => o.SetOperatorKey(key));
        app.StartAsync().GetAwaiter().GetResult();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 });
        var client = new HttpSchemeOperatorClient(http, new HttpSchemeOperatorClientOptions
        {
            Transport = new HttpSchemeClientOptions { BaseAddress = new Uri(new Uri(address.TrimEnd('/') + "/"), "pb1/operator/") },
            OperatorKey = Base64Url.EncodeToString(key),
        });
        CryptographicOperations.ZeroMemory(key);
        return (app, http, client);
    }

    /// <summary>One contribution under a fresh idempotency key.</summary>
    public static void Contribute(ISchemeOperator scheme, AccountId worker, long n)
    {
        var result = scheme.ContributeAsync(new IdempotencyKey($"bench-pay-{n}"), ContributionSource.Employer, worker, Amount.FromMinorUnits(100)).GetAwaiter().GetResult();
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(result.Status.ToString());
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _world = new ProtocolBenchmarkWorld();
        (_app, _http, _loopback) = StartLoopback(_world.Scheme);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _http.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
        _world.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void ContributeInProcess() => Contribute(_world.Scheme, _world.Account, Interlocked.Increment(ref _next));

    [Benchmark]
    public void ContributeOverHttp() => Contribute(_loopback, _world.Account, Interlocked.Increment(ref _next));
}
