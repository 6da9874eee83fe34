namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// Default allocation before expiry, client side: coins about to expire go to the provider the signed table resolves
/// on the device for the worker's sector and region, in parts the size of an ordinary payment, each at a random moment.
/// </summary>
/// <remarks>DESIGN.md section 3 flow 6; docs/PROTOCOL.md section 5.8.</remarks>
internal sealed class AllocationFlow(WalletContext context, PayFlow pay)
{
    // Suggested moments fall in the first three quarters of the time left: the last quarter is for the app to find a
    // moment, ask for the request and pay (or retry) before the coins stop being spendable.
    private const double SpreadShare = 0.75;

    private readonly WalletState _state = context.State;

    public DefaultAllocationPlan Plan(TimeSpan within, DefaultAllocationTable table, AccreditationRegistry registry, IReadOnlyList<DefaultAllocationJob> jobs, Amount maxPart)
    {
        var now = context.Now;
        if (!table.Verify(context.AccreditationKey) || table.IssuedAt > now)
        {
            return Empty(DefaultAllocationPlanStatus.InvalidTable);
        }

        if (!registry.Verify(context.AccreditationKey))
        {
            return Empty(DefaultAllocationPlanStatus.InvalidRegistry);
        }

        // Coins a pending swap holds back cannot be paid, so they are not planned.
        List<(WalletCoin Coin, KeysetDescriptor Descriptor)> expiring;
        lock (_state.Lock)
        {
            expiring = [.. _state.Available()
                .Select(c => (Coin: c, Descriptor: _state.DescriptorOf(c)))
                .Where(x => x.Descriptor.IsSpendable(now) && x.Descriptor.SpendUntil <= now + within)
                .OrderBy(x => x.Coin.Coin.Id)];
        }

        if (expiring.Count == 0)
        {
            return Empty(DefaultAllocationPlanStatus.NothingExpiring);
        }

        // Each fund is split on its own, as the scheme's round splits each fund sub-balance (docs/PROTOCOL.md 5.22,
        // 5.24): the table's rule over the profile's jobs, parts for one provider added up, a provider that is not valid
        // now or does not accept the fund taking nothing (the scheme would pool that part).
        var byProvider = new Dictionary<AccountId, List<(WalletCoin Coin, KeysetDescriptor Descriptor)>>();
        var order = new List<AccountId>();
        // The provider a plan that can pay no one names: the first job's, as for a profile of one job.
        var first = table.Split(jobs, Amount.FromMinorUnits(1))[0].Provider;
        foreach (var fund in expiring.GroupBy(x => x.Descriptor.Fund).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var targets = Targets(table, registry, jobs, fund.Key, Amount.Sum(fund.Select(x => x.Coin.Value)), now);
            foreach (var (provider, coins) in Assign(targets, fund))
            {
                if (!byProvider.TryGetValue(provider, out var held))
                {
                    byProvider[provider] = held = [];
                    order.Add(provider);
                }

                held.AddRange(coins);
            }
        }

        var planned = order.SelectMany(p => byProvider[p]).ToList();
        var leftOver = Amount.Sum(expiring.Except(planned).Select(x => x.Coin.Value));
        if (planned.Count == 0)
        {
            return new DefaultAllocationPlan(DefaultAllocationPlanStatus.ProviderCannotTake, first, Amount.Zero, [], leftOver, []);
        }

        // A plan across several providers has no single provider: its parts are paid, each to its own.
        return new DefaultAllocationPlan(
            DefaultAllocationPlanStatus.Ready,
            order.Count == 1 ? order[0] : null,
            Amount.Sum(planned.Select(x => x.Coin.Value)),
            [.. planned.Select(x => x.Coin)],
            leftOver,
            [.. order.SelectMany(p => Parts(p, byProvider[p], maxPart, now)).OrderBy(p => p.NotBefore)]);
    }

    // What each provider should take of one fund's expiring value: the table's split, in canonical job order, parts for
    // one provider added up; a provider that cannot take the fund gets no target.
    private static List<(AccountId Provider, long Target)> Targets(DefaultAllocationTable table, AccreditationRegistry registry, IReadOnlyList<DefaultAllocationJob> jobs, string fund, Amount total, DateTimeOffset now)
    {
        var targets = new List<(AccountId Provider, long Target)>();
        foreach (var share in table.Split(jobs, total))
        {
            var record = registry.Find(share.Provider);
            int at = targets.FindIndex(t => t.Provider == share.Provider);
            if (at >= 0)
            {
                targets[at] = (share.Provider, targets[at].Target + share.Amount.MinorUnits);
            }
            else if (record is not null && record.IsValidAt(now) && record.Accepts(fund))
            {
                targets.Add((share.Provider, share.Amount.MinorUnits));
            }
        }

        return targets;
    }

    // Coins, largest first, each to the provider with the most value still to receive that the coin does not exceed
    // (the earlier in job order on a tie). A coin that fits no provider stays unplanned: the split is met exactly or
    // not at all, so the plan never pays a provider more than the scheme's round would allocate to it. Swapping into
    // smaller coins first lets the plan meet the split.
    private static IEnumerable<(AccountId Provider, List<(WalletCoin Coin, KeysetDescriptor Descriptor)> Coins)> Assign(
        List<(AccountId Provider, long Target)> targets, IEnumerable<(WalletCoin Coin, KeysetDescriptor Descriptor)> coins)
    {
        var left = targets.Select(t => t.Target).ToArray();
        var assigned = targets.Select(_ => new List<(WalletCoin Coin, KeysetDescriptor Descriptor)>()).ToArray();
        foreach (var coin in coins.OrderByDescending(x => x.Coin.Value).ThenBy(x => x.Coin.Coin.Id))
        {
            int best = -1;
            for (int i = 0; i < left.Length; i++)
            {
                if (coin.Coin.Value.MinorUnits <= left[i] && (best < 0 || left[i] > left[best]))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                left[best] -= coin.Coin.Value.MinorUnits;
                assigned[best].Add(coin);
            }
        }

        return targets.Select((t, i) => (t.Provider, assigned[i])).Where(a => a.Item2.Count > 0);
    }

    public PaymentPreparation Pay(DefaultAllocationPlan plan, PaymentRequest request, AccreditationRegistry registry) =>
        request.Provider != plan.Provider || request.Amount != plan.Amount
            ? PayFlow.Refuse(PaymentPreparationStatus.NoExactCoins)
            : pay.Prepare(request, registry, plan.Coins.Select(c => c.Coin.Id).ToHashSet());

    public PaymentPreparation Pay(DefaultAllocationPart part, PaymentRequest request, AccreditationRegistry registry) =>
        request.Provider != part.Provider || request.Amount != part.Amount
            ? PayFlow.Refuse(PaymentPreparationStatus.NoExactCoins)
            : pay.Prepare(request, registry, part.Coins.Select(c => c.Coin.Id).ToHashSet());

    // First fit decreasing within each fund: the fewest parts of at most maxPart each (a coin worth more is a part of
    // its own), so each part is the size of an ordinary payment and of one fund, as an ordinary payment is.
    private static List<DefaultAllocationPart> Parts(AccountId provider, List<(WalletCoin Coin, KeysetDescriptor Descriptor)> coins, Amount maxPart, DateTimeOffset now)
    {
        var parts = new List<DefaultAllocationPart>();
        foreach (var fund in coins.GroupBy(x => x.Descriptor.Fund).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var bins = new List<List<(WalletCoin Coin, KeysetDescriptor Descriptor)>>();
            foreach (var coin in fund.OrderByDescending(x => x.Coin.Value).ThenBy(x => x.Coin.Coin.Id))
            {
                var bin = bins.Find(b => b.Sum(x => x.Coin.Value.MinorUnits) + coin.Coin.Value.MinorUnits <= maxPart.MinorUnits);
                if (bin is null)
                {
                    bin = [];
                    bins.Add(bin);
                }

                bin.Add(coin);
            }

            foreach (var bin in bins)
            {
                var left = bin.Min(x => x.Descriptor.SpendUntil) - now;
                var spread = TimeSpan.FromTicks((long)(Math.Max(0, left.Ticks) * SpreadShare * RandomFraction()));
                parts.Add(new DefaultAllocationPart(provider, Amount.Sum(bin.Select(x => x.Coin.Value)), [.. bin.Select(x => x.Coin)], now + spread));
            }
        }

        return [.. parts.OrderBy(p => p.NotBefore)];
    }

    // Uniform in [0, 1) from the OS CSPRNG.
    private static double RandomFraction() => RandomNumberGenerator.GetInt32(int.MaxValue) / (double)int.MaxValue;

    private static DefaultAllocationPlan Empty(DefaultAllocationPlanStatus status) => new(status, null, Amount.Zero, [], Amount.Zero, []);
}
