using Wallet.Crypto.Merkle;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>The whole suite with partially blind keysets: one master key, the descriptor as public metadata.</summary>
public sealed class InMemoryPartiallyBlindEndToEndTests : EndToEndContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync(KeysetMode mode = KeysetMode.RsaBlind) =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore(), KeysetMode.RsaPartiallyBlind);
}
