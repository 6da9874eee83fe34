using Wallet.Protocol.Ledger;
using Wallet.Protocol.Tests.Ledger;
using Wallet.Storage.Sqlite.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Ledger;

/// <summary>The ledger model test over a real SQLite file per generated sequence.</summary>
public sealed class SqliteLedgerModelTests : LedgerModelTests, IDisposable
{
    private readonly TempDatabase _temp = new();
    private int _files;

    protected override ILedgerStore CreateStore() =>
        SqliteLedgerStore.OpenAsync(_temp.File($"model-{Interlocked.Increment(ref _files)}.db")).GetAwaiter().GetResult();

    public void Dispose() => _temp.Dispose();
}
