using Wallet.Crypto.BlindRsa;
using Wallet.Protocol;

namespace PortableBenefits.Linkage.Truth;

/// <summary>A <c>restore-find</c> line of the ground truth: the blinded messages a restoring wallet asked the scheme about.</summary>
/// <param name="Account">The restoring worker.</param>
/// <param name="BlindedMessages">The blinded messages sent, possibly none.</param>
public sealed record TrueRestoreFind(AccountId Account, IReadOnlyList<BlindedMessage> BlindedMessages);
