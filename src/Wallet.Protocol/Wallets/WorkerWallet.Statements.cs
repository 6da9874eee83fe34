namespace Wallet.Protocol.Wallets;

/// <summary>The worker's statement and contribution receipts (docs/PROTOCOL.md 5.23), wallet side.</summary>
public sealed partial class WorkerWallet
{
    /// <summary>
    /// Signs a request for this account's statement over a period (<see cref="ISchemeClient.GetStatementAsync"/>) with
    /// the account key. Each request is answered once: after a lost answer, prepare a new one.
    /// </summary>
    /// <param name="from">The period's start (inclusive).</param>
    /// <param name="to">The period's end (exclusive).</param>
    /// <returns>The signed request.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The period (to whole seconds) is empty or starts before 1970.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public StatementRequest PrepareStatementRequest(DateTimeOffset from, DateTimeOffset to) => PrepareStatementRequest(StatementRequestPurpose.Statement, from, to);

    /// <summary>Signs a request for this account's contribution receipts over a period (<see cref="ISchemeClient.GetContributionReceiptsAsync"/>).</summary>
    /// <param name="from">The period's start (inclusive).</param>
    /// <param name="to">The period's end (exclusive).</param>
    /// <returns>The signed request.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The period (to whole seconds) is empty or starts before 1970.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public StatementRequest PrepareReceiptsRequest(DateTimeOffset from, DateTimeOffset to) => PrepareStatementRequest(StatementRequestPurpose.Receipts, from, to);

    /// <summary>
    /// Checks a statement and the contribution receipts of the same period: both signed by the scheme for this
    /// account, listing the same contributions with the same values. The totals by source and contributor come from
    /// the receipts.
    /// </summary>
    /// <param name="statementRequest">The request the statement answers.</param>
    /// <param name="statement">The statement.</param>
    /// <param name="receiptsRequest">The request the receipts answer.</param>
    /// <param name="receipts">The receipts.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public StatementReconciliation ReconcileStatement(StatementRequest statementRequest, WorkerStatement statement, StatementRequest receiptsRequest, IReadOnlyList<ContributionReceipt> receipts)
    {
        ArgumentNullException.ThrowIfNull(statementRequest);
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(receiptsRequest);
        ArgumentNullException.ThrowIfNull(receipts);
        ThrowIfDisposed();
        return statementRequest.Account != Account
            ? new StatementReconciliation(ReconciliationStatus.InvalidStatement, [], [], [])
            : StatementReconciliation.Reconcile(statementRequest, statement, receiptsRequest, receipts, _context.SchemeKey);
    }

    /// <summary>
    /// The uniform-withdrawal policy (<see cref="PrepareUniformWithdrawal(IdempotencyKey, Amount)"/>) for the general
    /// balance a statement shows, so that the app never guesses its balance.
    /// </summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="request">The request the statement answers.</param>
    /// <param name="statement">The statement.</param>
    /// <returns>The request, or why not; <see cref="WithdrawalPreparationStatus.InvalidStatement"/> when the statement is not the scheme's answer to this account's request.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key is pending or the split needs more than 1024 coins.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public WithdrawalPreparation PrepareUniformWithdrawal(IdempotencyKey key, StatementRequest request, WorkerStatement statement)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(statement);
        ThrowIfDisposed();
        return request.Account == Account && statement.Verify(request, _context.SchemeKey)
            ? _withdraw.PrepareUniform(key, statement.GeneralBalance)
            : new WithdrawalPreparation(WithdrawalPreparationStatus.InvalidStatement, null);
    }

    private StatementRequest PrepareStatementRequest(StatementRequestPurpose purpose, DateTimeOffset from, DateTimeOffset to)
    {
        ThrowIfDisposed();
        return StatementRequest.Sign(Account, purpose, from, to, _context.Now, _context.AccountKey);
    }
}
