using Wallet.Protocol.Ledger;

namespace Wallet.Protocol.Tests.Ledger;

public sealed class InMemoryLedgerStoreTests : LedgerStoreContract
{
    protected override Task<ILedgerStore> CreateStoreAsync() => Task.FromResult<ILedgerStore>(new InMemoryLedgerStore());
}
