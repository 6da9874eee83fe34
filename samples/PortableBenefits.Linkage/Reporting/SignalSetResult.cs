using PortableBenefits.Linkage.Attack;

namespace PortableBenefits.Linkage.Reporting;

/// <summary>How well one signal set named the payers of the deposited payments.</summary>
/// <param name="Set">The signal set.</param>
/// <param name="PaymentsAttacked">Deposited payments with a known payer and at least one candidate.</param>
/// <param name="Top1">Share of payments whose payer ranked first (ties shared evenly: a payer tied with two others counts a third).</param>
/// <param name="Top5">Share of payments whose payer ranked in the first five (ties shared evenly).</param>
/// <param name="ChanceTop1">The mean of 1 / candidates: what a blind guess scores.</param>
/// <param name="ChanceTop5">The mean of min(5, candidates) / candidates.</param>
/// <param name="Perplexity">
/// The effective anonymity set: 2 to the entropy (in bits) of the normalised score distribution over the candidates,
/// geometric mean over payments. Equal to the candidate count when the signals say nothing.
/// </param>
/// <param name="MeanCandidates">The mean number of candidates per payment.</param>
/// <param name="PayerOutsideCandidates">Payments whose payer was not a candidate at all (counted as misses).</param>
/// <param name="NullSpreadTop1">
/// The standard deviation of <see cref="Top1Ratio"/> for an attacker who only guesses: with few expected hits a ratio of
/// 1.5 or 2 can be luck, and the best of several signal sets is biased upwards.
/// </param>
public sealed record SignalSetResult(SignalSet Set, int PaymentsAttacked, double Top1, double Top5, double ChanceTop1, double ChanceTop5, double Perplexity, double MeanCandidates, int PayerOutsideCandidates, double NullSpreadTop1)
{
    /// <summary>Top-1 accuracy over chance (1 means the signals are no better than a blind guess).</summary>
    public double Top1Ratio => ChanceTop1 > 0 ? Top1 / ChanceTop1 : 0;

    /// <summary>Top-5 accuracy over chance.</summary>
    public double Top5Ratio => ChanceTop5 > 0 ? Top5 / ChanceTop5 : 0;
}
