using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.EndToEnd;

/// <summary>The whole PB/1 end-to-end suite with every wallet, provider and auditor call going over real HTTP (Kestrel on loopback).</summary>
public sealed class HttpEndToEndTests : EndToEndContract
{
    internal static Task<ProtocolWorld> CreateHttpWorldAsync(BlindRsaScheme mode) =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore(), mode, async world =>
        {
            var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme));
            return server.Client();
        });

    protected override Task<ProtocolWorld> CreateWorldAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa) => CreateHttpWorldAsync(mode);
}
