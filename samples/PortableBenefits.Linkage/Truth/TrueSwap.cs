using Wallet.Protocol;

namespace PortableBenefits.Linkage.Truth;

/// <summary>A <c>swap</c> line of the ground truth: which worker made an (anonymous) swap, with which input coins.</summary>
/// <param name="Account">The worker whose wallet swapped.</param>
/// <param name="IdempotencyKey">The swap's idempotency key, as the wallet sent it.</param>
/// <param name="Inputs">The coins the swap spent.</param>
public sealed record TrueSwap(AccountId Account, IdempotencyKey IdempotencyKey, IReadOnlyList<CoinId> Inputs);
