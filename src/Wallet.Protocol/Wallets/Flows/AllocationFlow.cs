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

    public DefaultAllocationPlan Plan(TimeSpan within, DefaultAllocationTable table, AccreditationRegistry registry, string sector, string region, Amount maxPart)
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

        var provider = table.Resolve(sector, region);
        var record = registry.Find(provider);
        var accepted = record is not null && record.IsValidAt(now)
            ? expiring.Where(x => record.Accepts(x.Descriptor.Fund)).ToList()
            : [];
        var leftOver = Amount.Sum(expiring.Except(accepted).Select(x => x.Coin.Value));
        return accepted.Count == 0
            ? new DefaultAllocationPlan(DefaultAllocationPlanStatus.ProviderCannotTake, provider, Amount.Zero, [], leftOver, [])
            : new DefaultAllocationPlan(DefaultAllocationPlanStatus.Ready, provider, Amount.Sum(accepted.Select(x => x.Coin.Value)), [.. accepted.Select(x => x.Coin)], leftOver, Parts(provider, accepted, maxPart, now));
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
