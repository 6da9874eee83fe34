using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Withdrawals;

/// <summary>The cases of <see cref="WithdrawalReversalContract"/> on the in-memory stores.</summary>
public sealed class InMemoryWithdrawalReversalTests : WithdrawalReversalContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync() =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
}
