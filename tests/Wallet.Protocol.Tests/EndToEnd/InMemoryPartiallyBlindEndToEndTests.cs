using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>The whole suite with partially blind keysets: one master key, the descriptor as public metadata.</summary>
public sealed class InMemoryPartiallyBlindEndToEndTests : EndToEndContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa) =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore(), BlindRsaScheme.Rsapbssa);
}
