using Wallet.Protocol;

namespace PortableBenefits.Linkage.Attack;

/// <summary>One payment's candidates and, per signal, each candidate's log-likelihood term (same order as <see cref="Candidates"/>).</summary>
/// <param name="Candidates">The accounts that could have paid, in ordinal order of their ids.</param>
/// <param name="Terms">Per single-bit signal, one term per candidate.</param>
internal sealed record PaymentEvidence(IReadOnlyList<AccountId> Candidates, IReadOnlyDictionary<LinkageSignals, double[]> Terms)
{
    /// <summary>Each candidate's score under <paramref name="signals"/>: the sum of the chosen signals' terms.</summary>
    public double[] Scores(LinkageSignals signals)
    {
        var scores = new double[Candidates.Count];
        foreach (var (signal, terms) in Terms)
        {
            if ((signals & signal) != 0)
            {
                for (int i = 0; i < scores.Length; i++)
                {
                    scores[i] += terms[i];
                }
            }
        }

        return scores;
    }
}
