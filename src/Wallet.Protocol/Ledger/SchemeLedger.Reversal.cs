namespace Wallet.Protocol.Ledger;

// The compensating entry for a withdrawal that can never be issued (docs/PROTOCOL.md section 5.3).
public sealed partial class SchemeLedger
{
    private static readonly byte[] ReversalKeyLabel = System.Text.Encoding.ASCII.GetBytes("PB1/withdrawal-reversal\n");

    /// <summary>The idempotency key a withdrawal's reversal is recorded under, derived from the withdrawal's key.</summary>
    /// <param name="withdrawal">The withdrawal's idempotency key.</param>
    /// <returns><c>"rv-"</c> and the lower-case hex SHA-256 of the label <c>"PB1/withdrawal-reversal\n"</c> and the key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="withdrawal"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// One key per withdrawal, so a withdrawal is reversed at most once: a second reversal replays the first. The
    /// reversal's entry and outcome are found under this key (<see cref="FindEntryAsync"/>).
    /// </remarks>
    public static IdempotencyKey ReversalKey(IdempotencyKey withdrawal)
    {
        ArgumentNullException.ThrowIfNull(withdrawal);
        byte[] digest = SHA256.HashData([.. ReversalKeyLabel, .. System.Text.Encoding.ASCII.GetBytes(withdrawal.Value)]);
        return new IdempotencyKey($"rv-{Convert.ToHexStringLower(digest)}");
    }

    /// <summary>
    /// Reverses a withdrawal that can never be issued: the value its entry made outstanding, per keyset, goes back to
    /// the worker's sub-balances it came from (one per fund, docs/PROTOCOL.md section 5.22), as one entry under <see cref="ReversalKey"/> of the withdrawal's key.
    /// </summary>
    /// <param name="withdrawal">The idempotency key the withdrawal was applied under.</param>
    /// <param name="worker">The worker the withdrawal debited.</param>
    /// <param name="amount">The withdrawal's total, more than zero.</param>
    /// <param name="cancellationToken">Cancels the operation; if it was already committed, a retry returns its result.</param>
    /// <returns>
    /// <see cref="LedgerStatus.Applied"/>; <see cref="LedgerStatus.UnknownWithdrawal"/> (nothing stored) when no
    /// withdrawal of <paramref name="worker"/> and <paramref name="amount"/> was applied under
    /// <paramref name="withdrawal"/>; <see cref="LedgerStatus.KeysetExpired"/> when a keyset of the withdrawal has
    /// expired (its value went to the expired account); <see cref="LedgerStatus.OutstandingExceeded"/>,
    /// <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/> (the derived key
    /// holds another request).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="withdrawal"/> or <paramref name="worker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing moved unless the commit completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>
    /// docs/PROTOCOL.md section 5.3 and docs/ledger.md. The ledger does not know whether coins were signed: the
    /// protocol layer calls this only for a withdrawal it never answered and whose keyset can never sign again, and
    /// must never issue it afterwards (it looks for this entry first).
    /// </remarks>
    public Task<LedgerResult> ReverseWithdrawalAsync(IdempotencyKey withdrawal, AccountId worker, Amount amount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(withdrawal);
        ArgumentNullException.ThrowIfNull(worker);
        RequirePositive(amount, nameof(amount));

        var request = Request(EntryKind.WithdrawalReversal);
        // Stryker disable once Statement : equivalent, the request is stored under ReversalKey(withdrawal), so a request for another withdrawal never meets this hash.
        request.Ascii(withdrawal.Value);
        request.Ascii(worker.Value);
        request.I64(amount.MinorUnits);

        return ExecuteAsync(ReversalKey(withdrawal), EntryKind.WithdrawalReversal, request, async (tx, ct) =>
        {
            var outcome = await tx.FindOutcomeAsync(withdrawal, ct).ConfigureAwait(false);
            var debit = outcome is { Status: LedgerStatus.Applied, EntrySequence: long sequence }
                ? await tx.GetEntryAsync(sequence, ct).ConfigureAwait(false)
                : null;
            // The worker's sub-balances the withdrawal debited, one per fund of its coins: each is credited back.
            var debited = debit?.Postings.Where(p => p.Account.GetWorker() == worker).ToArray() ?? [];
            if (debit is null || debit.Kind != EntryKind.Withdrawal || debited.Aggregate(Int128.Zero, (sum, p) => sum + p.Delta) != -amount.MinorUnits)
            {
                return Plan.Decline(LedgerStatus.UnknownWithdrawal);
            }

            var issued = debit.Postings.Where(p => p.Account.Kind == LedgerAccountKind.Outstanding).ToArray();
            if (await AnyExpiredAsync(tx, issued.Select(p => p.Account.GetKeyset()!), ct).ConfigureAwait(false))
            {
                return Plan.Refuse(LedgerStatus.KeysetExpired);
            }

            var postings = debited.Select(p => new Posting(p.Account, -p.Delta)).ToList();
            foreach (var posting in issued)
            {
                if (await tx.GetBalanceAsync(posting.Account, ct).ConfigureAwait(false) < posting.Delta)
                {
                    return Plan.Refuse(LedgerStatus.OutstandingExceeded);
                }

                postings.Add(new Posting(posting.Account, -posting.Delta));
            }

            return Plan.Apply(postings);
        }, cancellationToken);
    }
}
