namespace Wallet.Protocol.Statements;

/// <summary>
/// The worker's statement and contribution receipts (docs/PROTOCOL.md 5.23): checks that the account's own key asks,
/// freshly and once, then reads the contribution records the ledger confirms, the honoured withdrawals and the balances,
/// and signs the answer.
/// </summary>
internal sealed class StatementHandler(SchemeContext context, IStatementStore statements, IWithdrawalStore accounts)
{
    // One window of requests (ten minutes) from every account at once would be far below this.
    internal const int RememberedRequests = 1 << 20;

    private readonly StatementReplays _replays = new(RememberedRequests);

    public async Task<StatementResult> GetStatementAsync(StatementRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var status = await AdmitAsync(request, StatementRequestPurpose.Statement, cancellationToken).ConfigureAwait(false);
        if (status != StatementStatus.Answered)
        {
            return new StatementResult(status, null);
        }

        var lines = await ConfirmedAsync(request, cancellationToken).ConfigureAwait(false);
        var receipts = await statements.ListWithdrawalReceiptsAsync(request.Account, cancellationToken).ConfigureAwait(false);
        var withdrawals = receipts
            .Where(r => r.Account == request.Account && r.IssuedAt >= request.From && r.IssuedAt < request.To)
            .Select(r => new StatementWithdrawal(r.IdempotencyKey, r.Total, r.IssuedAt))
            .ToList();
        if (lines is null || withdrawals.Count > WorkerStatement.MaxLines)
        {
            return new StatementResult(StatementStatus.PeriodTooLong, null);
        }

        var balances = await ReadFundBalancesAsync(request.Account, cancellationToken).ConfigureAwait(false);
        var statement = WorkerStatement.Sign(request, context.Time.GetUtcNow(), balances, lines, withdrawals, context.SchemeKey);
        return new StatementResult(StatementStatus.Answered, statement);
    }

    public async Task<ContributionReceiptsResult> GetReceiptsAsync(StatementRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var status = await AdmitAsync(request, StatementRequestPurpose.Receipts, cancellationToken).ConfigureAwait(false);
        if (status != StatementStatus.Answered)
        {
            return new ContributionReceiptsResult(status, []);
        }

        var lines = await ConfirmedAsync(request, cancellationToken).ConfigureAwait(false);
        return lines is null
            ? new ContributionReceiptsResult(StatementStatus.PeriodTooLong, [])
            : new ContributionReceiptsResult(StatementStatus.Answered, [.. lines.Select(l => ContributionReceipt.Sign(l.Record, l.LedgerSequence, context.SchemeKey))]);
    }

    // Checked in the order: purpose, account, signature, time, replay; only a request that passes them all is remembered.
    private async Task<StatementStatus> AdmitAsync(StatementRequest request, StatementRequestPurpose purpose, CancellationToken cancellationToken)
    {
        if (request.Purpose != purpose)
        {
            return StatementStatus.WrongPurpose;
        }

        var key = await accounts.GetAccountKeyAsync(request.Account, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return StatementStatus.UnknownAccount;
        }

        if (!request.Verify(key))
        {
            return StatementStatus.InvalidSignature;
        }

        var now = context.Time.GetUtcNow();
        if ((request.SignedAt - now).Duration() > StatementRequest.MaxClockSkew)
        {
            return StatementStatus.Stale;
        }

        return _replays.TryAccept(request, now);
    }

    // The period's records that the ledger confirms (an entry under the record's key that agrees with it), or null when
    // there are more than a statement holds. A record whose ledger call never committed is left out until a retry commits it.
    private async Task<List<StatementContribution>?> ConfirmedAsync(StatementRequest request, CancellationToken cancellationToken)
    {
        var records = await statements.ListContributionRecordsAsync(request.Account, request.From, request.To, WorkerStatement.MaxLines + 1, cancellationToken).ConfigureAwait(false);
        if (records.Count > WorkerStatement.MaxLines)
        {
            return null;
        }

        var lines = new List<StatementContribution>(records.Count);
        foreach (var record in records)
        {
            if (record.Worker == request.Account
                && await context.Ledger.FindEntryAsync(record.LedgerKey, cancellationToken).ConfigureAwait(false) is { } entry
                && record.IsRecordedBy(entry))
            {
                lines.Add(new StatementContribution(record, entry.Sequence));
            }
        }

        return lines;
    }

    // The one place the statement reads balances: the worker's sub-balance in every fund it holds, general always
    // (docs/PROTOCOL.md 5.22), in fund order.
    private async Task<IReadOnlyList<FundBalance>> ReadFundBalancesAsync(AccountId account, CancellationToken cancellationToken)
    {
        var funds = await context.Ledger.GetFundBalancesAsync(account, cancellationToken).ConfigureAwait(false);
        return [.. funds.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new FundBalance(f.Key, f.Value))];
    }
}
