namespace Wallet.Protocol.Wallets;

/// <summary>Client-side default allocation before expiry (DESIGN.md section 3 flow 6; docs/PROTOCOL.md section 5.8).</summary>
public sealed partial class WorkerWallet
{
    /// <summary>
    /// Plans the default allocation of coins about to expire, one coin per part: as
    /// <see cref="PlanDefaultAllocation(TimeSpan, DefaultAllocationTable, AccreditationRegistry, string, string, Amount)"/>
    /// with a <c>maxPart</c> of zero, so that each payment is one denomination.
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
    public DefaultAllocationPlan PlanDefaultAllocation(TimeSpan within, DefaultAllocationTable table, AccreditationRegistry registry, string sector, string region) =>
        PlanDefaultAllocation(within, table, registry, sector, region, Amount.Zero);

    /// <summary>
    /// Plans the default allocation of coins about to expire: the available coins (not held by a pending swap) whose
    /// keyset's spend window ends within <paramref name="within"/> of now go to the provider the signed table resolves
    /// for the worker's own sector and region, in <see cref="DefaultAllocationPlan.Parts"/>. Each part holds coins of
    /// one fund worth at most <paramref name="maxPart"/> (a coin worth more is a part of its own) and carries a random
    /// <see cref="DefaultAllocationPart.NotBefore"/> in the first three quarters of the time left before its coins stop
    /// being spendable. For each part, at or after that moment and in a sitting of its own, the app asks the provider
    /// for a payment request of <see cref="DefaultAllocationPart.Amount"/> and calls
    /// <see cref="PrepareDefaultAllocationPayment(DefaultAllocationPart, PaymentRequest, AccreditationRegistry)"/>.
    /// Keep the plan until its parts are paid: planning again draws new moments.
    /// </summary>
    /// <param name="within">How far ahead "about to expire" looks; not negative.</param>
    /// <param name="table">The default-allocation table in force (from the log).</param>
    /// <param name="registry">The accreditation registry in force.</param>
    /// <param name="sector">The worker's sector token (stays on the device).</param>
    /// <param name="region">The worker's region token (stays on the device).</param>
    /// <param name="maxPart">The largest part: an ordinary payment's amount, such as the provider's usual price; zero for one coin per part.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="sector"/> or <paramref name="region"/> is not a token.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="within"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    /// <remarks>
    /// One payment of the whole expiring balance would be an unusually large payment, made days before the spend
    /// window closes, to the provider the worker's sector selects: a shape the scheme can pick out of the deposits.
    /// Parts the size of ordinary payments at spread-out moments look like the worker's other payments. What remains
    /// is inherent to default allocation: the provider still follows the worker's sector and region. Resolution runs on
    /// the device, so sector and region never leave it.
    /// </remarks>
    public DefaultAllocationPlan PlanDefaultAllocation(TimeSpan within, DefaultAllocationTable table, AccreditationRegistry registry, string sector, string region, Amount maxPart)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(registry);
        AsciiToken.Validate(sector, nameof(sector));
        AsciiToken.Validate(region, nameof(region));
        ArgumentOutOfRangeException.ThrowIfLessThan(within, TimeSpan.Zero);
        ThrowIfDisposed();
        return _allocation.Plan(within, table, registry, [new DefaultAllocationJob(sector, region)], maxPart);
    }

    /// <summary>
    /// Plans the default allocation of coins about to expire for a worker with several jobs (docs/PROTOCOL.md 5.24): as
    /// <see cref="PlanDefaultAllocation(TimeSpan, DefaultAllocationTable, AccreditationRegistry, string, string, Amount)"/>,
    /// but the expiring value of each fund is split across the profile's jobs by the table's signed
    /// <see cref="DefaultAllocationTable.SeveralJobs"/> rule (<see cref="DefaultAllocationTable.Split"/>), exactly as the
    /// scheme's round splits an unwithdrawn balance, and each job's part goes to the provider the table resolves for it
    /// (parts for one provider added up). A provider not valid now, or not accepting a fund, takes none of that fund.
    /// </summary>
    /// <param name="within">How far ahead "about to expire" looks; not negative.</param>
    /// <param name="table">The default-allocation table in force (from the log).</param>
    /// <param name="registry">The accreditation registry in force.</param>
    /// <param name="jobs">The worker's jobs: 1 to <see cref="DefaultAllocationInput.MaxJobs"/>, each (sector, region) once, in any order (they stay on the device).</param>
    /// <param name="maxPart">The largest part: an ordinary payment's amount; zero for one coin per part.</param>
    /// <returns>
    /// The plan. Its <see cref="DefaultAllocationPlan.Parts"/> name their providers; <see cref="DefaultAllocationPlan.Provider"/>
    /// is set only when every planned coin goes to one provider. Coins are matched to the split exactly: a coin larger
    /// than what any provider still has to receive stays in <see cref="DefaultAllocationPlan.LeftOver"/> (swap it into
    /// smaller coins and plan again, or let the scheme's round split it after expiry).
    /// </returns>
    /// <exception cref="ArgumentNullException">A reference argument, or a job, is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="jobs"/> is empty, has more than <see cref="DefaultAllocationInput.MaxJobs"/> jobs, or repeats a (sector, region).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="within"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public DefaultAllocationPlan PlanDefaultAllocation(TimeSpan within, DefaultAllocationTable table, AccreditationRegistry registry, IReadOnlyList<DefaultAllocationJob> jobs, Amount maxPart)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(registry);
        var canonical = DefaultAllocationInput.Canonical(jobs, nameof(jobs));
        ArgumentOutOfRangeException.ThrowIfLessThan(within, TimeSpan.Zero);
        ThrowIfDisposed();
        return _allocation.Plan(within, table, registry, canonical, maxPart);
    }

    /// <summary>
    /// Pays one part of a planned default allocation with exactly the part's coins, through the normal payment checks
    /// (<see cref="PreparePayment"/>): the request must come from the part's provider for the part's amount. Pay each
    /// part in its own sitting, at or after its <see cref="DefaultAllocationPart.NotBefore"/>.
    /// </summary>
    /// <param name="part">A part of a <see cref="DefaultAllocationPlanStatus.Ready"/> plan.</param>
    /// <param name="request">The provider's signed payment request.</param>
    /// <param name="registry">The accreditation registry.</param>
    /// <returns>The spends, or the reason there are none (<see cref="PaymentPreparationStatus.NoExactCoins"/> when the request does not match the part or its coins were spent meanwhile).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public PaymentPreparation PrepareDefaultAllocationPayment(DefaultAllocationPart part, PaymentRequest request, AccreditationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registry);
        ThrowIfDisposed();
        return _allocation.Pay(part, request, registry);
    }

    /// <summary>
    /// Pays a whole planned default allocation in one payment with exactly the plan's coins, through the normal payment
    /// checks (<see cref="PreparePayment"/>): the request must come from the plan's provider for the plan's amount.
    /// Such a payment has the telltale shape the parts avoid (docs/PROTOCOL.md section 5.8): prefer
    /// <see cref="PrepareDefaultAllocationPayment(DefaultAllocationPart, PaymentRequest, AccreditationRegistry)"/>.
    /// </summary>
    /// <param name="plan">A <see cref="DefaultAllocationPlanStatus.Ready"/> plan from <see cref="PlanDefaultAllocation(TimeSpan, DefaultAllocationTable, AccreditationRegistry, string, string, Amount)"/>.</param>
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
