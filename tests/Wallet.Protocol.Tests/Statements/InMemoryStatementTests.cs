using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Statements;

/// <summary>The statement suite in memory.</summary>
public sealed class InMemoryStatementTests : StatementContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync() =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
}
