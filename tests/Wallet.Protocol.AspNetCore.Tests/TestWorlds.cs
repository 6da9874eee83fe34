using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests;

/// <summary>An in-memory world whose scheme is also served on loopback, for tests that speak raw HTTP to it.</summary>
internal static class TestWorlds
{
    public static async Task<(ProtocolWorld World, LoopbackScheme Server)> ServedAsync(Action<WalletSchemeEndpointOptions>? configure = null, Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? kestrel = null)
    {
        var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme, configure, kestrel: kestrel));
        return (world, server);
    }
}
