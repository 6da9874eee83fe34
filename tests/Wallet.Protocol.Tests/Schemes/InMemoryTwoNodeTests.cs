using Wallet.Crypto.Merkle;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>Two nodes in one process: in-memory stores shared by reference, one in-process lock shared by both.</summary>
public sealed class InMemoryTwoNodeTests : TwoNodeContract
{
    protected override Task<Backend> OpenBackendAsync()
    {
        var shared = new InProcessSchemeWriteLock();
        return Task.FromResult(new Backend(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore(), () => Task.FromResult<ISchemeWriteLock>(shared)));
    }
}
