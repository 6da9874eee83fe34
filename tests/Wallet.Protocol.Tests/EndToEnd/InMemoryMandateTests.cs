using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Tests.EndToEnd;

public sealed class InMemoryMandateTests : MandateContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync() =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());

    protected override IProviderStore CreateUnionStore() => new InMemoryProviderStore();
}
