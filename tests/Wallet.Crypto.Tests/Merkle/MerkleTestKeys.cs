using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;

namespace Wallet.Crypto.Tests.Merkle;

/// <summary>One log key and a fixed clock shared by the Merkle tests.</summary>
internal static class MerkleTestKeys
{
    public static Ed25519SigningKey LogKey { get; } = Ed25519SigningKey.Generate();

    public static TimeProvider Clock { get; } = new FixedTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, 123, TimeSpan.Zero));

    public static SignedTreeHead Head(ulong size, MerkleHash root) => SignedTreeHead.Sign(size, root, LogKey, Clock);
}
