using PortableBenefits.Linkage.Attack;
using Wallet.Protocol;

namespace PortableBenefits.Linkage.Reporting;

/// <summary>Accumulates one signal set's hits, chance and entropy over the attacked payments.</summary>
internal sealed class SignalSetTally(SignalSet set)
{
    private const double Tie = 1e-9;

    private int _payments;
    private int _outside;
    private double _top1;
    private double _top5;
    private double _chance1;
    private double _chance5;
    private double _bits;
    private double _candidates;
    private double _nullVariance;

    public void Add(PaymentEvidence evidence, AccountId payer)
    {
        double[] scores = evidence.Scores(set.Signals);
        int n = scores.Length;
        _payments++;
        _candidates += n;
        _chance1 += 1.0 / n;
        _nullVariance += (1.0 / n) * (1 - (1.0 / n));
        _chance5 += Math.Min(5, n) / (double)n;
        _bits += EntropyBits(scores);
        int index = IndexOf(evidence.Candidates, payer);
        if (index < 0)
        {
            _outside++;
            return;
        }

        // Expected hits when ties are broken at random: `above` candidates strictly better, `tied` others equal.
        double own = scores[index];
        int above = scores.Count(s => s > own + Tie);
        int tied = scores.Count(s => Math.Abs(s - own) <= Tie) - 1;
        _top1 += Hit(1, above, tied);
        _top5 += Hit(5, above, tied);
    }

    public SignalSetResult Result() => _payments == 0
        ? new SignalSetResult(set, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        : new SignalSetResult(set, _payments, _top1 / _payments, _top5 / _payments, _chance1 / _payments, _chance5 / _payments, Math.Pow(2, _bits / _payments), _candidates / _payments, _outside, Math.Sqrt(_nullVariance) / _chance1);

    private static double Hit(int k, int above, int tied) => Math.Clamp((k - above) / (double)(tied + 1), 0, 1);

    private static int IndexOf(IReadOnlyList<AccountId> candidates, AccountId payer)
    {
        for (int i = 0; i < candidates.Count; i++)
        {
            if (candidates[i] == payer)
            {
                return i;
            }
        }

        return -1;
    }

    private static double EntropyBits(double[] scores)
    {
        double max = scores.Max();
        double[] weights = [.. scores.Select(s => Math.Exp(s - max))];
        double total = weights.Sum();
        return -weights.Select(w => w / total).Where(p => p > 0).Sum(p => p * Math.Log2(p));
    }
}
