using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Tests.Deposits;

public sealed class InMemoryDepositOutcomeTests : DepositOutcomeContract
{
    protected override Task<(ILedgerStore Ledger, ISchemeStore Scheme, IMerkleLogStore Log)> CreateStoresAsync() =>
        Task.FromResult<(ILedgerStore, ISchemeStore, IMerkleLogStore)>((new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore()));
}
