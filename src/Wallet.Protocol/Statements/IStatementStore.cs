namespace Wallet.Protocol.Statements;

/// <summary>
/// What the worker's statement reads beside the ledger (part of <see cref="Schemes.ISchemeStore"/>): the contribution
/// records, written before their ledger entries, and the withdrawals honoured for an account.
/// </summary>
/// <remarks>docs/PROTOCOL.md 5.23. The records hold no secret; they name the worker and the contributor, as the ledger key does.</remarks>
public interface IStatementStore
{
    /// <summary>Stores contribution records in one write, first write wins per <see cref="ContributionRecord.LedgerKey"/>.</summary>
    /// <param name="records">The records; a key may repeat (the first is kept).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutContributionRecordsAsync(IReadOnlyList<ContributionRecord> records, CancellationToken cancellationToken);

    /// <summary>Finds the record stored under a ledger key.</summary>
    /// <param name="ledgerKey">The ledger key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record, or null.</returns>
    ValueTask<ContributionRecord?> GetContributionRecordAsync(IdempotencyKey ledgerKey, CancellationToken cancellationToken);

    /// <summary>A worker's records whose day lies in a period, ordered by day, then ledger key (ordinal).</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="from">The period's start (inclusive).</param>
    /// <param name="to">The period's end (exclusive).</param>
    /// <param name="limit">At most this many records are returned (the caller asks one more than it accepts).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The records, committed to the ledger or not: the caller checks each against its entry.</returns>
    ValueTask<IReadOnlyList<ContributionRecord>> ListContributionRecordsAsync(AccountId worker, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    /// <summary>The receipts of every honoured withdrawal of an account, in no particular order.</summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored responses' receipts.</returns>
    ValueTask<IReadOnlyList<WithdrawalReceipt>> ListWithdrawalReceiptsAsync(AccountId account, CancellationToken cancellationToken);
}
