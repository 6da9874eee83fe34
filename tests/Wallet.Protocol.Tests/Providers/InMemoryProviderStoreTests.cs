using Wallet.Protocol.Providers;

namespace Wallet.Protocol.Tests.Providers;

public sealed class InMemoryProviderStoreTests : ProviderStoreContract
{
    protected override IProviderStore CreateStore() => new InMemoryProviderStore();
}
