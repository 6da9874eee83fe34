using Wallet.Protocol;

namespace PortableBenefits.Linkage.Truth;

/// <summary>A <c>restore-arespent</c> line of the ground truth: the coins a restoring wallet asked the scheme whether they are spent.</summary>
/// <param name="Account">The restoring worker.</param>
/// <param name="Coins">The coin ids asked about, possibly none.</param>
public sealed record TrueRestoreSpentCheck(AccountId Account, IReadOnlyList<CoinId> Coins);
