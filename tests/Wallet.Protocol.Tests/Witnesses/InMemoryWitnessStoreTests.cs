using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Tests.Witnesses;

/// <summary>The store contract on <see cref="InMemoryWitnessStore"/>.</summary>
public sealed class InMemoryWitnessStoreTests : WitnessStoreContract
{
    protected override IWitnessStore Store { get; } = new InMemoryWitnessStore();
}
