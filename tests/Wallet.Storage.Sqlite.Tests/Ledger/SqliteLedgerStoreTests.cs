using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Ledger;

public sealed class SqliteLedgerStoreTests : LedgerStoreContract
{
    private readonly TempDatabase _temp = new();

    protected override async Task<ILedgerStore> CreateStoreAsync() => await SqliteLedgerStore.OpenAsync(_temp.File());

    protected override async Task<ILedgerStore> ReopenAsync(ILedgerStore store)
    {
        await ((SqliteLedgerStore)store).DisposeAsync();
        return await SqliteLedgerStore.OpenAsync(_temp.File());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _temp.Dispose();
    }
}
