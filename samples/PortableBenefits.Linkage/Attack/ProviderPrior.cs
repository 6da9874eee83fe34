using Wallet.Protocol;
using PortableBenefits.Linkage.Truth;

namespace PortableBenefits.Linkage.Attack;

/// <summary>
/// P(provider | group) for a grouping of workers (sector, or sector and region), estimated from the ground truth's
/// payments leave-one-out: the payment under attack is taken out of the counts, so the prior is what an attacker who
/// knows everyone's group and the other payments' payers would have.
/// </summary>
internal sealed class ProviderPrior
{
    private readonly Dictionary<(string Group, AccountId Provider), int> _counts = [];
    private readonly Dictionary<string, int> _totals = new(StringComparer.Ordinal);
    private readonly Func<WorkerProfile, string> _group;
    private readonly IReadOnlyDictionary<AccountId, WorkerProfile> _profiles;
    private readonly double _smoothing;
    private readonly int _providers;

    public ProviderPrior(IReadOnlyList<TruePayment> payments, IReadOnlyDictionary<AccountId, WorkerProfile> profiles, IEnumerable<AccountId> providers, Func<WorkerProfile, string> group, double smoothing)
    {
        (_profiles, _group, _smoothing) = (profiles, group, smoothing);
        var all = new HashSet<AccountId>(providers);
        foreach (var payment in payments)
        {
            all.Add(payment.Provider);
            if (GroupOf(payment.Account) is { } g)
            {
                _counts[(g, payment.Provider)] = _counts.GetValueOrDefault((g, payment.Provider)) + 1;
                _totals[g] = _totals.GetValueOrDefault(g) + 1;
            }
        }

        _providers = Math.Max(1, all.Count);
    }

    /// <summary>log P(provider | the account's group), without the payment under attack (paid by <paramref name="payer"/>, when known).</summary>
    public double LogProbability(AccountId account, AccountId provider, AccountId? payer)
    {
        if (GroupOf(account) is not { } group)
        {
            return -Math.Log(_providers);
        }

        // The payment under attack was counted once, under its payer's group and this provider.
        int own = payer is not null && GroupOf(payer) is { } payerGroup && string.Equals(payerGroup, group, StringComparison.Ordinal) ? 1 : 0;
        double count = Math.Max(0, _counts.GetValueOrDefault((group, provider)) - own);
        double total = Math.Max(0, _totals.GetValueOrDefault(group) - own);
        return Math.Log((count + _smoothing) / (total + (_smoothing * _providers)));
    }

    private string? GroupOf(AccountId account) => _profiles.TryGetValue(account, out var profile) ? _group(profile) : null;
}
