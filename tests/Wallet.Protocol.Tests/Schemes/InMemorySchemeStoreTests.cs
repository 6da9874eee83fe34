using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Tests.Schemes;

public sealed class InMemorySchemeStoreTests : SchemeStoreContract
{
    protected override ISchemeStore CreateStore() => new InMemorySchemeStore();
}
