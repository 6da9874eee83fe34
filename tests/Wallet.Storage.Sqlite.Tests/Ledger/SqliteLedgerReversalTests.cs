using Wallet.Protocol.Ledger;
using Wallet.Protocol.Tests.Ledger;
using Wallet.Storage.Sqlite.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Ledger;

/// <summary>The cases of <see cref="LedgerReversalTests"/> on a real SQLite file.</summary>
public sealed class SqliteLedgerReversalTests : LedgerReversalTests
{
    private readonly TempDatabase _temp = new();

    protected override async Task<ILedgerStore> CreateStoreAsync() => await SqliteLedgerStore.OpenAsync(_temp.File());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _temp.Dispose();
    }
}
