namespace Wallet.Protocol.Ledger;

// A provider's refund paid back as new coins (docs/PROTOCOL.md section 5.17).
public sealed partial class SchemeLedger
{
    /// <summary>
    /// Pays a provider's refund out of its payable account as new coins: the provider's payable goes down by the
    /// outputs' value and each output keyset's outstanding value goes up, as one entry.
    /// </summary>
    /// <param name="key">The request's idempotency key.</param>
    /// <param name="provider">The provider refunding.</param>
    /// <param name="outputs">The coins to be blind-signed, worth the refund.</param>
    /// <param name="cancellationToken">Cancels the operation; if it was already committed, a retry with the same key returns its result.</param>
    /// <returns>
    /// <see cref="LedgerStatus.Applied"/>; <see cref="LedgerStatus.InsufficientFunds"/> when the provider's payable is
    /// less than the outputs' value (not stored under the key: the same refund may be paid once the payable covers it);
    /// <see cref="LedgerStatus.KeysetExpired"/>, <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/>, <paramref name="provider"/>, <paramref name="outputs"/> or an item of it is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="outputs"/> is empty.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing moved unless the commit completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>docs/PROTOCOL.md section 5.17 and docs/ledger.md.</remarks>
    public Task<LedgerResult> RefundAsync(IdempotencyKey key, AccountId provider, IReadOnlyList<KeysetAmount> outputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(provider);
        RequireItems(outputs, nameof(outputs));
        var payable = LedgerAccount.Provider(provider);

        var request = Request(EntryKind.Refund);
        request.Ascii(provider.Value);
        WriteOutputs(request, outputs);

        return ExecuteAsync(key, EntryKind.Refund, request, async (tx, ct) =>
        {
            if (await AnyExpiredAsync(tx, outputs.Select(o => o.Keyset), ct).ConfigureAwait(false))
            {
                return Plan.Refuse(LedgerStatus.KeysetExpired);
            }

            var total = Amount.Sum(outputs.Select(o => o.Value));
            long balance = await tx.GetBalanceAsync(payable, ct).ConfigureAwait(false);
            if (balance < total.MinorUnits)
            {
                return Plan.Decline(LedgerStatus.InsufficientFunds);
            }

            var postings = new List<Posting> { new(payable, -total.MinorUnits) };
            postings.AddRange(IssuePostings(outputs));
            return Plan.Apply(postings);
        }, cancellationToken);
    }
}
