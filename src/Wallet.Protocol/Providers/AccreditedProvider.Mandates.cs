namespace Wallet.Protocol.Providers;

/// <summary>
/// Dues mandates, the union's side (docs/PROTOCOL.md 5.19): issue a signed mandate to a member, issue the payment request
/// for each period the member's wallet asks for, and keep the membership ledger (member reference to paid-through
/// period), read from the settled payments so it moves with the deposit that settles them.
/// </summary>
public sealed partial class AccreditedProvider
{
    /// <summary>Issues and keeps a dues mandate for a member under a fresh random id.</summary>
    /// <param name="memberReference">The union's own reference for the member (1 to 64 bytes), opaque to everyone else.</param>
    /// <param name="amount">The amount per period; positive.</param>
    /// <param name="fund">The fund the dues are paid from; one this provider accepts.</param>
    /// <param name="period">The period length (whole seconds, one hour to 366 days).</param>
    /// <param name="payWindow">The window, from each period's start, in which the wallet pays.</param>
    /// <param name="startsAt">The start of period 0.</param>
    /// <param name="endsAt">The end, or null for none.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The signed mandate to hand to the member.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">A field is invalid, or the provider may not be paid from <paramref name="fund"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is zero.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<DuesMandate> IssueMandateAsync(byte[] memberReference, Amount amount, string fund, TimeSpan period, TimeSpan payWindow, DateTimeOffset startsAt, DateTimeOffset? endsAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memberReference);
        ArgumentNullException.ThrowIfNull(fund);
        if (!Record.Accepts(fund))
        {
            throw new ArgumentException("This provider may not be paid from that fund.", nameof(fund));
        }

        var mandate = DuesMandate.Sign(MandateId.New(), Record.Id, memberReference, amount, fund, period, payWindow, startsAt, endsAt, _receiptKey);
        await _store.AddMandateAsync(mandate, cancellationToken).ConfigureAwait(false);
        return mandate;
    }

    /// <summary>Gets a mandate this union issued.</summary>
    /// <param name="mandate">The mandate's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The mandate, or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<DuesMandate?> GetMandateAsync(MandateId mandate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        return await _store.GetMandateAsync(mandate, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Issues the payment request for one period of a mandate, bound to (mandate, period) in the store: an ordinary
    /// request to the scheme (its purpose, <see cref="DuesMandate.PurposeFor"/>, is only in the salted details commitment).
    /// </summary>
    /// <param name="mandate">The mandate's id.</param>
    /// <param name="period">The period.</param>
    /// <param name="validity">How long the request stays payable.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The request with its details; null when the mandate is unknown, does not cover the period, the period has not started, or it is paid already.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validity"/> is negative.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PaymentRequest?> CreateMandatePaymentRequestAsync(MandateId mandate, uint period, TimeSpan validity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        ArgumentOutOfRangeException.ThrowIfLessThan(validity, TimeSpan.Zero);
        var now = _time.GetUtcNow();
        if (await _store.GetMandateAsync(mandate, cancellationToken).ConfigureAwait(false) is not { } kept
            || !kept.Covers(period)
            || kept.PeriodStart(period) > now
            || (await _store.ListPaidPeriodsAsync(mandate, cancellationToken).ConfigureAwait(false)).Contains(period))
        {
            return null;
        }

        var request = PaymentRequest.Sign(Record.Id, kept.Amount, kept.PurposeFor(period), RandomNumberGenerator.GetBytes(PaymentRequest.NonceLength), now, now + validity, _receiptKey);
        await _store.AddMandateRequestAsync(request, new MandatePeriod(mandate, period), cancellationToken).ConfigureAwait(false);
        return request;
    }

    /// <summary>Gets a member's line of the membership ledger: the periods paid without a gap.</summary>
    /// <param name="mandate">The mandate's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The line, or null for an unknown mandate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<MembershipEntry?> GetMembershipAsync(MandateId mandate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        return await _store.GetMandateAsync(mandate, cancellationToken).ConfigureAwait(false) is { } kept
            ? await EntryAsync(kept, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>Lists the membership ledger: one line per mandate issued, by mandate id.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The ledger.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<MembershipEntry>> ListMembershipAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<MembershipEntry>();
        foreach (var mandate in await _store.ListMandatesAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(await EntryAsync(mandate, cancellationToken).ConfigureAwait(false));
        }

        return entries;
    }

    /// <summary>Lists the members who have lapsed at <paramref name="now"/>: a period that has ended is not paid.</summary>
    /// <param name="now">The time to judge at.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The lapsed lines of the ledger.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<MembershipEntry>> ListLapsedAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        [.. (await ListMembershipAsync(cancellationToken).ConfigureAwait(false)).Where(e => e.IsLapsedAt(now))];

    /// <summary>Signs a paid-up statement for a mandate's member, as the ledger stands now.</summary>
    /// <param name="mandate">The mandate's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The statement, or null for an unknown mandate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PaidUpStatement?> IssuePaidUpStatementAsync(MandateId mandate, CancellationToken cancellationToken = default) =>
        await GetMembershipAsync(mandate, cancellationToken).ConfigureAwait(false) is { } entry
            ? PaidUpStatement.Sign(entry.Mandate, entry.PeriodsPaid, _time.GetUtcNow(), _receiptKey)
            : null;

    private async Task<MembershipEntry> EntryAsync(DuesMandate mandate, CancellationToken cancellationToken)
    {
        var paid = await _store.ListPaidPeriodsAsync(mandate.Id, cancellationToken).ConfigureAwait(false);
        uint run = 0;
        while (run < paid.Count && paid[(int)run] == run)
        {
            run++;
        }

        return new MembershipEntry(mandate, run);
    }
}
