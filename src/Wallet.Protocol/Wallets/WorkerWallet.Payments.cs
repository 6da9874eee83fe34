namespace Wallet.Protocol.Wallets;

/// <summary>Payment and client-side default allocation before expiry (DESIGN.md section 3 flows 3 and 6).</summary>
public sealed partial class WorkerWallet
{
    /// <summary>
    /// Pays a provider's request: checks the registry signature, the provider's accreditation now, the request's
    /// signature by the registered receipt key and its expiry; picks unspent coins, not reserved by a pending swap, that
    /// the provider may redeem and that sum exactly to the amount; signs each coin's spend over the request. When the
    /// coins are worth enough but no subset is exact, the result says so (<see cref="PaymentPreparation.ChangeAvailable"/>):
    /// run <see cref="PrepareChange"/> and pay after the swap completes. The coins are then spent for the
    /// wallet (re-using one would be a provable double spend), and the payment is recorded in flight
    /// (<see cref="PaymentsInFlight"/>, saved in the wallet file) until <see cref="AcceptSpendReceipt"/> confirms it or
    /// <see cref="PrepareAbandonPayment"/> takes the coins back. Asked again for a request whose payment is in flight, it
    /// answers the same spends (after a crash before they were sent); one being abandoned or known to be deposited is
    /// refused (<see cref="PaymentPreparationStatus.AlreadyPaid"/>).
    /// </summary>
    /// <param name="request">The payment request.</param>
    /// <param name="registry">The current signed registry.</param>
    /// <returns>The spends to hand to the provider, or why not.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public PaymentPreparation PreparePayment(PaymentRequest request, AccreditationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registry);
        ThrowIfDisposed();
        return _pay.Prepare(request, registry, only: null);
    }

    /// <summary>
    /// Keeps a provider's spend receipt if it verifies for the paid request with the provider's registered key, and
    /// closes the payment in flight for that request (a pending abandon swap of it is dropped: the provider deposited the
    /// coins, so the scheme would refuse it). A receipt for a payment whose coins a swap already took back
    /// (<see cref="WalletPaymentState.Abandoned"/>) contradicts the scheme and is not kept.
    /// </summary>
    /// <param name="receipt">The receipt.</param>
    /// <param name="request">The paid request.</param>
    /// <param name="registry">The signed registry.</param>
    /// <returns>Whether the receipt verified and was kept.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool AcceptSpendReceipt(SpendReceipt receipt, PaymentRequest request, AccreditationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registry);
        return _pay.AcceptReceipt(receipt, request, registry);
    }

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
        ThrowIfDisposed();
        return _allocation.Plan(within, table, registry, sector, region);
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

        ThrowIfDisposed();
        return _allocation.Pay(plan, request, registry);
    }
}
