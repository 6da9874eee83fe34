using PortableBenefits.Linkage.Observations;
using PortableBenefits.Linkage.Truth;
using Wallet.Protocol;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Payments;

namespace PortableBenefits.Linkage.Attack;

/// <summary>
/// The attacker: for a deposited payment, every account that could have paid it, and per signal a log-likelihood term
/// for each of them. It sees only <see cref="SchemeObservations"/> and the workers' profiles; the ground truth's
/// payments enter only the leave-one-out sector priors (side information) and never the payment under attack.
/// Not thread-safe: one attack examines one payment at a time.
/// </summary>
internal sealed class LinkageAttack
{
    private static readonly LinkageSignals[] Signals = [.. Enum.GetValues<LinkageSignals>().Where(s => s != LinkageSignals.None)];

    private readonly SchemeObservations _observations;
    private readonly AttackSettings _settings;
    private readonly Dictionary<AccountId, WorkerProfile> _profiles;
    private readonly List<AccountHistory> _accounts;
    private readonly Dictionary<(string Fund, uint Epoch), int> _keysetsPerPool = [];
    private readonly List<(ObservedSwap Swap, HashSet<AccountId> Sitting, HashSet<AccountId> Day)> _swaps;
    private readonly Dictionary<PaymentId, AccountId> _payers = [];
    private readonly ProviderPrior _sector;
    private readonly ProviderPrior _sectorRegion;
    private readonly Dictionary<KeysetId, int> _scratchCounts = [];
    private readonly Dictionary<(string, uint), int> _scratchPools = [];
    private readonly Dictionary<KeysetId, (string Fund, uint Epoch)> _pools = [];

    public LinkageAttack(SchemeObservations observations, GroundTruth truth, AttackSettings settings)
    {
        (_observations, _settings) = (observations, settings);
        _profiles = truth.ProfilesByAccount();
        foreach (var payment in truth.Payments)
        {
            _payers.TryAdd(payment.Payment, payment.Account);
        }

        foreach (var descriptor in observations.Keysets.Values)
        {
            var pool = (descriptor.Fund, descriptor.Epoch);
            _keysetsPerPool[pool] = _keysetsPerPool.GetValueOrDefault(pool) + 1;
        }

        var histories = new Dictionary<AccountId, AccountHistory>();
        foreach (var withdrawal in observations.Withdrawals.OrderBy(w => w.Sequence))
        {
            if (!histories.TryGetValue(withdrawal.Account, out var history))
            {
                histories[withdrawal.Account] = history = new AccountHistory(withdrawal.Account);
            }

            history.Withdrawals.Add(withdrawal);
        }

        _accounts = [.. histories.Values.OrderBy(h => h.Account.Value, StringComparer.Ordinal)];
        RankWithdrawalOrder();
        _swaps = [.. observations.Swaps.OrderBy(s => s.Time).Select(s => (s, Near(s.Time, _settings.Sitting), SameDayBefore(s.Time)))];
        var providers = observations.Payments.Select(p => p.Provider);
        _sector = new ProviderPrior(truth.Payments, _profiles, providers, p => p.Sector, settings.PriorSmoothing);
        _sectorRegion = new ProviderPrior(truth.Payments, _profiles, providers, p => p.Sector + "\t" + p.Region, settings.PriorSmoothing);
    }

    /// <summary>The candidates for <paramref name="payment"/> and every signal's terms for them.</summary>
    public PaymentEvidence Examine(ObservedPayment payment)
    {
        var pools = payment.Coins.Select(c => Pool(c.Keyset)).ToHashSet();
        var candidates = _accounts.Where(a => a.Withdrawals.Any(w => w.Time <= payment.PaidBy && w.Coins.Keys.Any(k => pools.Contains(Pool(k))))).ToList();
        var terms = Signals.ToDictionary(s => s, _ => new double[candidates.Count]);
        var (swapSitting, swapDay) = SwapsBefore(payment.PaidBy, pools);
        var payer = _payers.GetValueOrDefault(payment.Id);
        var defaultPick = DefaultAllocationTable(payment);
        uint epoch = Pool(payment.Coins[0].Keyset).Epoch;
        for (int i = 0; i < candidates.Count; i++)
        {
            var account = candidates[i];
            terms[LinkageSignals.Composition][i] = Composition(payment.Coins, payment.PaidBy, payment.Amount.MinorUnits, pools, account);
            // The request carries its day only (PB/1 version 2): the sitting test needs the day to be pinned down to a few
            // minutes by an early deposit, otherwise only the day can match.
            terms[LinkageSignals.CoarseTime][i] = Match(account.Withdrawals.Any(w => w.Time <= payment.PaidBy && payment.PaidBy - w.Time <= _settings.Sitting && SameDay(w.Time, payment.RequestedAt)), account.Withdrawals.Any(w => SameDay(w.Time, payment.RequestedAt)));
            terms[LinkageSignals.DepositTiming][i] = Match(
                account.Withdrawals.Any(w => w.Time <= payment.DepositedAt && payment.DepositedAt - w.Time <= _settings.Sitting),
                account.Withdrawals.Any(w => w.Time <= payment.DepositedAt && SameDay(w.Time, payment.DepositedAt)));
            terms[LinkageSignals.SwapTiming][i] = Match(swapSitting.Contains(account.Account), swapDay.Contains(account.Account));
            terms[LinkageSignals.Order][i] = payment.BatchPosition is { } position && account.OrderInEpoch.TryGetValue(epoch, out double rank)
                ? Math.Log(1 + (_settings.OrderWeight * Math.Exp(-Math.Pow(position - rank, 2) / (2 * _settings.OrderWidth * _settings.OrderWidth))))
                : 0;
            terms[LinkageSignals.DefaultAllocation][i] = defaultPick is not null && _profiles.TryGetValue(account.Account, out var profile) && defaultPick.Resolve(profile.Sector, profile.Region) == payment.Provider
                ? Math.Log(1 + _settings.DefaultAllocationWeight)
                : 0;
            terms[LinkageSignals.Sector][i] = _sector.LogProbability(account.Account, payment.Provider, payer);
            terms[LinkageSignals.SectorRegion][i] = _sectorRegion.LogProbability(account.Account, payment.Provider, payer);
        }

        return new PaymentEvidence([.. candidates.Select(c => c.Account)], terms);
    }

    private (string Fund, uint Epoch) Pool(KeysetId keyset)
    {
        if (!_pools.TryGetValue(keyset, out var pool))
        {
            _pools[keyset] = pool = _observations.Keysets.TryGetValue(keyset, out var d) ? (d.Fund, d.Epoch) : (keyset.ToString(), 0u);
        }

        return pool;
    }

    /// <summary>
    /// The candidates for an anonymous swap (the accounts that had withdrawn coins of its inputs' funds) with two
    /// signals: <see cref="LinkageSignals.Composition"/> of its inputs, and <see cref="LinkageSignals.CoarseTime"/>, the
    /// swap's time against the account's withdrawals.
    /// </summary>
    public PaymentEvidence Examine(ObservedSwap swap)
    {
        var pools = swap.Inputs.Select(c => Pool(c.Keyset)).ToHashSet();
        var candidates = _accounts.Where(a => a.Withdrawals.Any(w => w.Time <= swap.Time && w.Coins.Keys.Any(k => pools.Contains(Pool(k))))).ToList();
        var composition = new double[candidates.Count];
        var time = new double[candidates.Count];
        for (int i = 0; i < candidates.Count; i++)
        {
            composition[i] = Composition(swap.Inputs, swap.Time, 0, pools, candidates[i]);
            time[i] = Match(candidates[i].Withdrawals.Any(w => (w.Time - swap.Time).Duration() <= _settings.Sitting), candidates[i].Withdrawals.Any(w => SameDay(w.Time, swap.Time)));
        }

        return new PaymentEvidence([.. candidates.Select(c => c.Account)], new Dictionary<LinkageSignals, double[]> { [LinkageSignals.Composition] = composition, [LinkageSignals.CoarseTime] = time });
    }

    // How well the account's coins withdrawn before `time` explain `coins`: for each coin, the share of the account's
    // coins of that fund and epoch that are of its keyset; and whether the account withdrew at least `amount`.
    private double Composition(IReadOnlyList<ObservedCoin> coins, DateTimeOffset time, long amount, HashSet<(string Fund, uint Epoch)> pools, AccountHistory account)
    {
        // Scratch maps reused across calls (the attack runs on one thread): this runs once per payment and candidate.
        var counts = _scratchCounts;
        var perPool = _scratchPools;
        counts.Clear();
        perPool.Clear();
        long value = 0;
        foreach (var withdrawal in account.Withdrawals.Where(w => w.Time <= time))
        {
            foreach (var (keyset, n) in withdrawal.Coins)
            {
                var pool = Pool(keyset);
                if (pools.Contains(pool))
                {
                    counts[keyset] = counts.GetValueOrDefault(keyset) + n;
                    perPool[pool] = perPool.GetValueOrDefault(pool) + n;
                    value += n * (_observations.Keysets.TryGetValue(keyset, out var d) ? d.Denomination.MinorUnits : 0);
                }
            }
        }

        double a = _settings.CompositionSmoothing;
        double term = coins.Sum(c =>
        {
            var pool = Pool(c.Keyset);
            return Math.Log((counts.GetValueOrDefault(c.Keyset) + a) / (perPool.GetValueOrDefault(pool) + (a * Math.Max(1, _keysetsPerPool.GetValueOrDefault(pool)))));
        });
        return value < amount ? term + Math.Log(_settings.UnaffordableFactor) : term;
    }

    private double Match(bool sitting, bool day) =>
        Math.Log(1 + (sitting ? _settings.SittingWeight : 0) + (day ? _settings.DayWeight : 0));

    private static bool SameDay(DateTimeOffset a, DateTimeOffset b) => a.UtcDateTime.Date == b.UtcDateTime.Date;

    // The accounts linked through swaps of the payment's funds: a swap in the sitting before the request (change made to
    // pay) that itself follows one of the account's withdrawals within a sitting; and the same on the scale of a day.
    private (HashSet<AccountId> Sitting, HashSet<AccountId> Day) SwapsBefore(DateTimeOffset paidBy, HashSet<(string Fund, uint Epoch)> pools)
    {
        var sitting = new HashSet<AccountId>();
        var day = new HashSet<AccountId>();
        foreach (var (swap, afterWithdrawal, sameDay) in _swaps)
        {
            if (swap.Time > paidBy)
            {
                break;
            }

            if (!swap.Inputs.Any(c => pools.Contains(Pool(c.Keyset))))
            {
                continue;
            }

            if (paidBy - swap.Time <= _settings.Sitting)
            {
                sitting.UnionWith(afterWithdrawal);
            }

            if (SameDay(swap.Time, paidBy))
            {
                day.UnionWith(sameDay);
            }
        }

        return (sitting, day);
    }

    private HashSet<AccountId> Near(DateTimeOffset time, TimeSpan window) =>
        [.. _accounts.Where(a => a.Withdrawals.Any(w => w.Time <= time && time - w.Time <= window)).Select(a => a.Account)];

    private HashSet<AccountId> SameDayBefore(DateTimeOffset time) =>
        [.. _accounts.Where(a => a.Withdrawals.Any(w => w.Time <= time && SameDay(w.Time, time))).Select(a => a.Account)];

    // A payment in the days before its coins stop being spendable may be a client-side default allocation: then the
    // table in force picks the provider from the payer's sector and region.
    private Wallet.Protocol.Registry.DefaultAllocationTable? DefaultAllocationTable(ObservedPayment payment)
    {
        var spendUntil = payment.Coins.Select(c => _observations.Keysets.GetValueOrDefault(c.Keyset)).OfType<KeysetDescriptor>().Select(d => d.SpendUntil).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        if (_observations.AllocationTables.Count == 0 || spendUntil == DateTimeOffset.MaxValue || payment.RequestedAt < spendUntil - _settings.DefaultAllocationWindow || payment.RequestedAt > spendUntil)
        {
            return null;
        }

        var inForce = _observations.AllocationTables.Where(t => t.IssuedAt <= payment.RequestedAt).Select(t => t.Table).LastOrDefault();
        return inForce ?? _observations.AllocationTables[0].Table;
    }

    // Each account's rank in each epoch's order of first withdrawals: what arrival order in a batch followed when workers
    // acted in index order.
    private void RankWithdrawalOrder()
    {
        var firsts = _accounts
            .SelectMany(a => a.Withdrawals.Select(w => (Account: a, w.Sequence, Epoch: w.Coins.Keys.Select(k => Pool(k).Epoch).DefaultIfEmpty(0u).Max())))
            .GroupBy(x => x.Epoch);
        foreach (var epoch in firsts)
        {
            var order = epoch.GroupBy(x => x.Account).Select(g => (Account: g.Key, First: g.Min(x => x.Sequence))).OrderBy(x => x.First).ToList();
            for (int i = 0; i < order.Count; i++)
            {
                order[i].Account.OrderInEpoch[epoch.Key] = order.Count == 1 ? 0.5 : i / (double)(order.Count - 1);
            }
        }
    }
}
