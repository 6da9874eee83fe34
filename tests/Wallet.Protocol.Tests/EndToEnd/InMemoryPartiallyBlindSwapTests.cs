using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>The swap suite with partially blind keysets: recovery re-derives the blinded message under the descriptor as metadata.</summary>
public sealed class InMemoryPartiallyBlindSwapTests : SwapContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync() =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore(), BlindRsaScheme.Rsapbssa);
}
