using Wallet.Protocol.Schemes;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>The scheme store of an <see cref="InMemorySchemeDatabase"/>, used outside any operation, passes the scheme store contract.</summary>
public sealed class InMemorySchemeDatabaseSchemeStoreTests : SchemeStoreContract
{
    protected override ISchemeStore CreateStore() => new InMemorySchemeDatabase().Scheme;
}
