using Wallet.Protocol.Schemes;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Schemes;

public sealed class InMemorySchemeStoreTests : SchemeStoreContract
{
    protected override ISchemeStore CreateStore() => new InMemorySchemeStore();
}
