using Wallet.Protocol.Ledger;

namespace Wallet.Protocol.Tests.Ledger;

public sealed class InMemoryLedgerModelTests : LedgerModelTests
{
    protected override ILedgerStore CreateStore() => new InMemoryLedgerStore();
}
