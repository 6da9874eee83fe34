namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// Dues mandates, wallet side (docs/PROTOCOL.md 5.19): accept a union's signed mandate, find the periods whose pay
/// moment has come (oldest first, so arrears are paid before the current period), pay a period through the ordinary
/// payment path with the union's request for it, and report each period's state.
/// </summary>
internal sealed class MandateFlow(WalletContext context, PayFlow pay)
{
    private readonly WalletState _state = context.State;

    public MandateAcceptance Accept(DuesMandate mandate, AccreditationRegistry registry)
    {
        if (!registry.Verify(context.AccreditationKey))
        {
            return MandateAcceptance.InvalidRegistry;
        }

        if (registry.Find(mandate.Provider) is not { } record || !record.IsValidAt(context.Now) || !record.Accepts(mandate.Fund))
        {
            return MandateAcceptance.ProviderNotAccredited;
        }

        if (!mandate.Verify(record.ReceiptKey))
        {
            return MandateAcceptance.BadSignature;
        }

        lock (_state.Lock)
        {
            if (_state.Mandates.TryGetValue(mandate.Id, out var kept))
            {
                return kept.Mandate.Encode().AsSpan().SequenceEqual(mandate.Encode()) ? MandateAcceptance.AlreadyAccepted : MandateAcceptance.Conflict;
            }

            _state.Mandates[mandate.Id] = new MandateRecord(mandate);
            return MandateAcceptance.Accepted;
        }
    }

    public bool Cancel(MandateId id)
    {
        lock (_state.Lock)
        {
            if (!_state.Mandates.TryGetValue(id, out var record) || record.Cancelled)
            {
                return false;
            }

            record.Cancelled = true;
            return true;
        }
    }

    public IReadOnlyList<DueMandatePayment> Due(DateTimeOffset now)
    {
        lock (_state.Lock)
        {
            var receipts = Receipts();
            var due = new List<DueMandatePayment>();
            foreach (var record in _state.Mandates.Values.Where(m => !m.Cancelled))
            {
                foreach (var period in Periods(record, now, receipts))
                {
                    if (period.State is MandatePeriodState.Due or MandatePeriodState.Arrears)
                    {
                        due.Add(new DueMandatePayment(record.Mandate, period.Period, period.PayAt, period.State == MandatePeriodState.Arrears));
                    }
                }
            }

            // Oldest period first across mandates: arrears are caught up before newer periods take the coins.
            return [.. due.OrderBy(d => d.Mandate.PeriodStart(d.Period)).ThenBy(d => d.Mandate.Id).ThenBy(d => d.Period)];
        }
    }

    public IReadOnlyList<MandateStatus> Status(DateTimeOffset now)
    {
        lock (_state.Lock)
        {
            var receipts = Receipts();
            return [.. _state.Mandates.Values.OrderBy(m => m.Mandate.Id).Select(m => new MandateStatus(m.Mandate, m.Cancelled, Periods(m, now, receipts)))];
        }
    }

    public PaymentPreparation Prepare(MandateId id, uint period, PaymentRequest request, AccreditationRegistry registry)
    {
        var now = context.Now;
        lock (_state.Lock)
        {
            if (!_state.Mandates.TryGetValue(id, out var record) || record.Cancelled || !record.Mandate.Covers(period) || record.Mandate.PeriodStart(period) > now)
            {
                return PayFlow.Refuse(PaymentPreparationStatus.UnknownMandate);
            }

            var mandate = record.Mandate;
            if (request.Provider != mandate.Provider || request.Amount != mandate.Amount || request.Details?.Purpose != mandate.PurposeFor(period))
            {
                return PayFlow.Refuse(PaymentPreparationStatus.NotForMandate);
            }

            // One live payment per period: another request for a period already paid would pay it twice.
            if (record.Payments.TryGetValue(period, out var earlier) && earlier != request.Id && IsLive(earlier, Receipts()))
            {
                return PayFlow.Refuse(PaymentPreparationStatus.AlreadyPaid);
            }

            // Fresh coins of the mandate's fund only, through the ordinary payment path: the spends are those of any payment.
            var fund = _state.Available().Where(c => _state.DescriptorOf(c).Fund == mandate.Fund).Select(c => c.Coin.Id).ToHashSet();
            var prepared = pay.Prepare(request, registry, fund);
            if (prepared.Status == PaymentPreparationStatus.Ready)
            {
                record.Payments[period] = request.Id;
                record.Short.Remove(period);
            }
            else if (prepared.Status == PaymentPreparationStatus.NoExactCoins && !prepared.ChangeAvailable)
            {
                record.Short.Add(period);
            }

            return prepared;
        }
    }

    // The request hashes of the kept spend receipts: a payment they confirm is paid for good.
    private HashSet<PaymentId> Receipts() => [.. _state.SpendReceipts.Select(r => new PaymentId(r.RequestHash))];

    // A payment counts for its period unless its coins were taken back.
    private bool IsLive(PaymentId payment, HashSet<PaymentId> receipts) =>
        receipts.Contains(payment) || (_state.Payments.TryGetValue(payment, out var record) && record.State != WalletPaymentState.Abandoned);

    private List<MandatePeriodStatus> Periods(MandateRecord record, DateTimeOffset now, HashSet<PaymentId> receipts)
    {
        var mandate = record.Mandate;
        var periods = new List<MandatePeriodStatus>();
        for (uint p = 0; mandate.Covers(p) && mandate.PeriodStart(p) <= now; p++)
        {
            var payAt = context.MandatePayMoment(mandate, p);
            var state = record.Payments.TryGetValue(p, out var payment) && IsLive(payment, receipts)
                ? receipts.Contains(payment) ? MandatePeriodState.Paid : MandatePeriodState.InFlight
                : record.Short.Contains(p) || now >= mandate.PeriodStart(p) + TimeSpan.FromSeconds(mandate.PayWindowSeconds) ? MandatePeriodState.Arrears
                : now >= payAt ? MandatePeriodState.Due
                : MandatePeriodState.Scheduled;
            periods.Add(new MandatePeriodStatus(p, payAt, state));
            if (p == uint.MaxValue)
            {
                break;
            }
        }

        return periods;
    }
}
