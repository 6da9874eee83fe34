namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// Default allocation before expiry, client side: coins about to expire go, as an ordinary payment, to the provider
/// the signed table resolves on the device for the worker's sector and region.
/// </summary>
/// <remarks>DESIGN.md section 3 flow 6.</remarks>
internal sealed class AllocationFlow(WalletContext context, PayFlow pay)
{
    private readonly WalletState _state = context.State;

    public DefaultAllocationPlan Plan(TimeSpan within, DefaultAllocationTable table, AccreditationRegistry registry, string sector, string region)
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

        List<(WalletCoin Coin, string Fund)> expiring;
        lock (_state.Lock)
        {
            expiring = [.. _state.Unspent()
                .Select(c => (Coin: c, Descriptor: _state.DescriptorOf(c)))
                .Where(x => x.Descriptor.IsSpendable(now) && x.Descriptor.SpendUntil <= now + within)
                .OrderBy(x => x.Coin.Coin.Id)
                .Select(x => (x.Coin, x.Descriptor.Fund))];
        }

        if (expiring.Count == 0)
        {
            return Empty(DefaultAllocationPlanStatus.NothingExpiring);
        }

        var provider = table.Resolve(sector, region);
        var record = registry.Find(provider);
        var accepted = record is not null && record.IsValidAt(now)
            ? expiring.Where(x => record.Accepts(x.Fund)).Select(x => x.Coin).ToList()
            : [];
        var leftOver = Amount.Sum(expiring.Select(x => x.Coin).Except(accepted).Select(c => c.Value));
        return accepted.Count == 0
            ? new DefaultAllocationPlan(DefaultAllocationPlanStatus.ProviderCannotTake, provider, Amount.Zero, [], leftOver)
            : new DefaultAllocationPlan(DefaultAllocationPlanStatus.Ready, provider, Amount.Sum(accepted.Select(c => c.Value)), accepted, leftOver);
    }

    public PaymentPreparation Pay(DefaultAllocationPlan plan, PaymentRequest request, AccreditationRegistry registry) =>
        request.Provider != plan.Provider || request.Amount != plan.Amount
            ? PayFlow.Refuse(PaymentPreparationStatus.NoExactCoins)
            : pay.Prepare(request, registry, plan.Coins.Select(c => c.Coin.Id).ToHashSet());

    private static DefaultAllocationPlan Empty(DefaultAllocationPlanStatus status) => new(status, null, Amount.Zero, [], Amount.Zero);
}
