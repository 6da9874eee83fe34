using Wallet.Protocol.Payments;
using Wallet.Protocol.Registry;

namespace Wallet.Protocol.Wallets;

/// <summary>Client-side default allocation before expiry (DESIGN.md section 3, flow 6).</summary>
public sealed partial class WorkerWallet
{
    /// <summary>
    /// Plans the default allocation of coins about to expire: the unspent coins whose keyset's spend window ends within
    /// <paramref name="within"/> of now go to the provider the signed table resolves for the worker's own sector and
    /// region. The app then asks that provider for a payment request of <see cref="DefaultAllocationPlan.Amount"/> and
    /// calls <see cref="PrepareDefaultAllocationPayment"/>.
    /// </summary>
    /// <param name="within">How far ahead "about to expire" looks; not negative.</param>
    /// <param name="table">The default-allocation table in force (from the log).</param>
    /// <param name="registry">The accreditation registry in force.</param>
    /// <param name="sector">The worker's sector token (stays on the device).</param>
    /// <param name="region">The worker's region token (stays on the device).</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="sector"/> or <paramref name="region"/> is not a token.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="within"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    /// <remarks>
    /// The scheme learns nothing it would not learn anyway: the payment is an ordinary spend, and the same rule would
    /// have sent the expired value to the same provider. Resolution runs on the device, so sector and region never leave it.
    /// </remarks>
    public DefaultAllocationPlan PlanDefaultAllocation(TimeSpan within, DefaultAllocationTable table, AccreditationRegistry registry, string sector, string region)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(registry);
        AsciiToken.Validate(sector, nameof(sector));
        AsciiToken.Validate(region, nameof(region));
        ArgumentOutOfRangeException.ThrowIfLessThan(within, TimeSpan.Zero);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var now = _time.GetUtcNow();
        if (!table.Verify(_accreditationKey) || table.IssuedAt > now)
        {
            return Empty(DefaultAllocationPlanStatus.InvalidTable, null);
        }

        if (!registry.Verify(_accreditationKey))
        {
            return Empty(DefaultAllocationPlanStatus.InvalidRegistry, null);
        }

        List<(WalletCoin Coin, string Fund)> expiring;
        lock (_lock)
        {
            expiring = [.. _coins.Values
                .Where(c => !_spent.Contains(c.Coin.Id))
                .Select(c => (Coin: c, Descriptor: _keysets[c.Coin.Keyset].Descriptor))
                .Where(x => x.Descriptor.IsSpendable(now) && x.Descriptor.SpendUntil <= now + within)
                .OrderBy(x => x.Coin.Coin.Id)
                .Select(x => (x.Coin, x.Descriptor.Fund))];
        }

        if (expiring.Count == 0)
        {
            return Empty(DefaultAllocationPlanStatus.NothingExpiring, null);
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

    /// <summary>
    /// Pays a planned default allocation with exactly the plan's coins, through the normal payment checks
    /// (<see cref="PreparePayment"/>): the request must come from the plan's provider for the plan's amount.
    /// </summary>
    /// <param name="plan">A <see cref="DefaultAllocationPlanStatus.Ready"/> plan from <see cref="PlanDefaultAllocation"/>.</param>
    /// <param name="request">The provider's signed payment request.</param>
    /// <param name="registry">The accreditation registry.</param>
    /// <returns>The spends, or the reason there are none (<see cref="PaymentPreparationStatus.NoExactCoins"/> when the request does not match the plan or its coins were spent meanwhile).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="plan"/> is not ready.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public PaymentPreparation PrepareDefaultAllocationPayment(DefaultAllocationPlan plan, PaymentRequest request, AccreditationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registry);
        if (plan.Status != DefaultAllocationPlanStatus.Ready)
        {
            throw new ArgumentException("The plan has nothing to pay.", nameof(plan));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        if (request.Provider != plan.Provider || request.Amount != plan.Amount)
        {
            return Refuse(PaymentPreparationStatus.NoExactCoins);
        }

        return PreparePaymentFrom(request, registry, plan.Coins.Select(c => c.Coin.Id).ToHashSet());
    }

    private static DefaultAllocationPlan Empty(DefaultAllocationPlanStatus status, AccountId? provider) =>
        new(status, provider, Amount.Zero, [], Amount.Zero);
}
