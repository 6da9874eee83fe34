namespace Wallet.Protocol.Ledger;

// Payouts: a provider's payable leaves the scheme (docs/PROTOCOL.md section 5.18).
public sealed partial class SchemeLedger
{
    /// <summary>
    /// Pays part or all of a provider's payable out of the scheme: the amount moves from the provider's payable account
    /// to its payouts account (<see cref="LedgerAccount.Payouts"/>), as one entry; refused, with nothing moved, if it
    /// is more than the payable.
    /// </summary>
    /// <param name="key">The request's idempotency key.</param>
    /// <param name="provider">The provider paid.</param>
    /// <param name="amount">The amount, more than zero.</param>
    /// <param name="cancellationToken">Cancels the operation; if it was already committed, a retry with the same key returns its result.</param>
    /// <returns>
    /// <see cref="LedgerStatus.Applied"/>, <see cref="LedgerStatus.InsufficientFunds"/> (the payable is less than
    /// <paramref name="amount"/>), <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="provider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing moved unless the commit completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>
    /// docs/PROTOCOL.md section 5.18. One payouts account per provider, so the books say how much each provider was paid
    /// out in total, and a provider's payable always equals what it was credited less what it was paid out.
    /// </remarks>
    public Task<LedgerResult> PayoutAsync(IdempotencyKey key, AccountId provider, Amount amount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        // Stryker disable once Statement : equivalent, LedgerAccount.Provider below throws the same exception for the same parameter.
        ArgumentNullException.ThrowIfNull(provider);
        RequirePositive(amount, nameof(amount));
        var payable = LedgerAccount.Provider(provider);
        var payouts = LedgerAccount.Payouts(provider);

        var request = Request(EntryKind.Payout);
        request.Ascii(provider.Value);
        request.I64(amount.MinorUnits);

        return ExecuteAsync(key, EntryKind.Payout, request, async (tx, ct) =>
        {
            long balance = await tx.GetBalanceAsync(payable, ct).ConfigureAwait(false);
            return balance < amount.MinorUnits
                ? Plan.Refuse(LedgerStatus.InsufficientFunds)
                : Plan.Apply([new Posting(payable, -amount.MinorUnits), new Posting(payouts, amount.MinorUnits)]);
        }, cancellationToken);
    }

    /// <summary>
    /// An account's balance just after a journal entry: the committed balance less every later entry's postings to it,
    /// read from one snapshot. A payout's statement states the payable it left, the same on every retry.
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="sequence">The entry's sequence number, from 1 up to the journal head.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The balance in minor units.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="account"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is below 1 or beyond the journal head.</exception>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Reads the entries after <paramref name="sequence"/> only: cheap right after the entry, linear in what followed it.</remarks>
    public async Task<long> GetBalanceAfterAsync(LedgerAccount account, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var head = await tx.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, head.Sequence);
        long balance = await tx.GetBalanceAsync(account, cancellationToken).ConfigureAwait(false);
        await foreach (var entry in tx.ReadJournalAsync(sequence + 1, cancellationToken).ConfigureAwait(false))
        {
            foreach (var posting in entry.Postings)
            {
                if (posting.Account == account)
                {
                    balance -= posting.Delta;
                }
            }
        }

        return balance;
    }
}
