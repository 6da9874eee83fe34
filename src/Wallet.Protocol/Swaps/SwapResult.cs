namespace Wallet.Protocol.Swaps;

/// <summary>The scheme's answer to a swap or recovery.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Response">The signed response when <paramref name="Status"/> is <see cref="SwapStatus.Swapped"/>.</param>
/// <param name="Index">The input or output the refusal is about, where one is.</param>
/// <param name="Proofs">For <see cref="SwapStatus.DoubleSpend"/>: one verifiable proof per input whose first spend was signed.</param>
public sealed record SwapResult(SwapStatus Status, SwapResponse? Response, int? Index, IReadOnlyList<SwapDoubleSpendProof> Proofs);
