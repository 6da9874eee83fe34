using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests;

/// <summary>An in-memory world whose scheme serves the operator API on loopback under a fresh random operator key.</summary>
internal sealed class OperatorServer
{
    private OperatorServer(ProtocolWorld world, LoopbackScheme server, string key)
    {
        World = world;
        Server = server;
        Key = key;
    }

    public ProtocolWorld World { get; }

    public LoopbackScheme Server { get; }

    /// <summary>The operator key as sent: base64url of 32 bytes.</summary>
    public string Key { get; }

    public Uri OperatorAddress => new(Server.Address, "pb1/operator/");

    public static async Task<OperatorServer> StartAsync(Action<WalletSchemeOperatorEndpointOptions>? configure = null, Action<RouteGroupBuilderHolder>? extend = null)
    {
        var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        byte[] key = RandomNumberGenerator.GetBytes(32);
        var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme, map: app =>
        {
            var group = app.MapWalletSchemeOperator(world.Scheme, o =>
            {
                o.SetOperatorKey(key);
                configure?.Invoke(o);
            });
            extend?.Invoke(new RouteGroupBuilderHolder(group));
        }));
        return new OperatorServer(world, server, Base64Url.EncodeToString(key));
    }

    public HttpSchemeOperatorClient Client(string? key = null, int maxAttempts = 4) => new(Server.Http, new HttpSchemeOperatorClientOptions
    {
        Transport = new HttpSchemeClientOptions { BaseAddress = OperatorAddress, RetryDelay = TimeSpan.FromMilliseconds(20), MaxAttempts = maxAttempts },
        OperatorKey = key ?? Key,
    });

    /// <summary>A raw POST to an operator route, with the operator key unless <paramref name="authorization"/> says otherwise.</summary>
    public async Task<HttpResponseMessage> PostAsync(string route, string mediaType, byte[] body, string? idempotencyKey = null, AuthenticationHeaderValue? authorization = null, bool anonymous = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(OperatorAddress, route.TrimStart('/'))) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        request.Headers.Authorization = anonymous ? null : authorization ?? new AuthenticationHeaderValue("Bearer", Key);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await Server.Http.SendAsync(request);
    }

    public Task<JournalHead> LedgerHeadAsync() => World.Ledger.GetHeadAsync();
}

/// <summary>The route group the operator API was mapped on, for tests that add a host endpoint to it.</summary>
internal sealed record RouteGroupBuilderHolder(Microsoft.AspNetCore.Routing.RouteGroupBuilder Group);
