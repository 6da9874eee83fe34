using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Swaps;

public sealed class InMemorySwapRaceTests : SwapRaceContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync() =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
}
