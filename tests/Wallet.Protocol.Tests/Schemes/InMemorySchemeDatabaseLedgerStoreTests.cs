using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>The ledger of an <see cref="InMemorySchemeDatabase"/>, used outside any operation, passes the ledger store contract.</summary>
public sealed class InMemorySchemeDatabaseLedgerStoreTests : LedgerStoreContract
{
    protected override Task<ILedgerStore> CreateStoreAsync() => Task.FromResult(new InMemorySchemeDatabase().Ledger);
}
