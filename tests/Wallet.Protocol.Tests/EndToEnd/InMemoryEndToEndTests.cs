using Wallet.Crypto.Merkle;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Tests.EndToEnd;

public sealed class InMemoryEndToEndTests : EndToEndContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync(KeysetMode mode = KeysetMode.RsaBlind) =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore(), mode);
}
