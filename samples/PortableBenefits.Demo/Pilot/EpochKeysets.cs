using Wallet.Protocol.Keysets;

namespace PortableBenefits.Demo.Pilot;

/// <summary>The keysets of one monthly epoch: two general-fund denominations and one training-fund denomination.</summary>
internal sealed record EpochKeysets(uint Epoch, DateTimeOffset Start, KeysetDescriptor General500, KeysetDescriptor General100, KeysetDescriptor Training500)
{
    public IReadOnlyList<KeysetDescriptor> All => [General500, General100, Training500];
}
