namespace Wallet.Protocol.Wallets;

/// <summary>Dues mandates: standing orders the wallet pays by itself (docs/PROTOCOL.md 5.19).</summary>
public sealed partial class WorkerWallet
{
    /// <summary>Gets the mandates the wallet keeps (cancelled ones included).</summary>
    public IReadOnlyList<DuesMandate> Mandates => Read<IReadOnlyList<DuesMandate>>(s => [.. s.Mandates.Values.Select(m => m.Mandate).OrderBy(m => m.Id)]);

    /// <summary>
    /// Accepts a union's dues mandate: the registry must verify, the union be accredited now and accept the mandate's
    /// fund, and the mandate carry the union's registered receipt key's signature. The mandate is then kept (the wallet
    /// file saves it) and its periods are paid from <see cref="DueMandatePayments"/> on.
    /// </summary>
    /// <param name="mandate">The mandate.</param>
    /// <param name="registry">The current signed registry.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public MandateAcceptance AcceptMandate(DuesMandate mandate, AccreditationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        ArgumentNullException.ThrowIfNull(registry);
        ThrowIfDisposed();
        return _mandates.Accept(mandate, registry);
    }

    /// <summary>Cancels a mandate: none of its periods is paid from now on (payments already made stand). It stays in the report.</summary>
    /// <param name="id">The mandate.</param>
    /// <returns>Whether a kept, not yet cancelled mandate was cancelled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public bool CancelMandate(MandateId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        ThrowIfDisposed();
        return _mandates.Cancel(id);
    }

    /// <summary>
    /// Lists the mandate periods to pay now: each period of a mandate not cancelled whose pay moment (drawn from the seed,
    /// uniformly within the period's pay window) has come and that is not paid, oldest period first, so arrears are
    /// caught up before newer periods.
    /// </summary>
    /// <param name="now">The time to judge at (the wallet's clock, usually).</param>
    /// <returns>The due periods.</returns>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public IReadOnlyList<DueMandatePayment> DueMandatePayments(DateTimeOffset now)
    {
        ThrowIfDisposed();
        return _mandates.Due(now);
    }

    /// <summary>
    /// Pays one mandate period with the union's payment request for it: the request must come from the mandate's union,
    /// be for its amount and carry the purpose that binds it to this mandate and period (<see cref="DuesMandate.PurposeFor"/>),
    /// which the scheme never sees. The coins are chosen among the mandate's fund and the payment then goes the ordinary
    /// way (<see cref="PreparePayment"/>): hand the spends to the union, keep its receipt with <see cref="AcceptSpendReceipt"/>.
    /// When the funds are short the period goes into arrears and is due again.
    /// </summary>
    /// <param name="id">The mandate.</param>
    /// <param name="period">The period.</param>
    /// <param name="request">The union's request for (mandate, period), with its details.</param>
    /// <param name="registry">The current signed registry.</param>
    /// <returns>The spends, or why not (<see cref="PaymentPreparationStatus.UnknownMandate"/> and <see cref="PaymentPreparationStatus.NotForMandate"/> besides the payment's own reasons).</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public PaymentPreparation PrepareMandatePayment(MandateId id, uint period, PaymentRequest request, AccreditationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registry);
        ThrowIfDisposed();
        return _mandates.Prepare(id, period, request, registry);
    }

    /// <summary>Reports every mandate kept: each period started so far with its pay moment and state (due, in flight, paid, arrears).</summary>
    /// <param name="now">The time to judge at.</param>
    /// <returns>One status per mandate, by mandate id.</returns>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public IReadOnlyList<MandateStatus> MandateStatus(DateTimeOffset now)
    {
        ThrowIfDisposed();
        return _mandates.Status(now);
    }
}
