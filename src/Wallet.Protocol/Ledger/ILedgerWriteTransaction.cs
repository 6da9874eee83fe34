namespace Wallet.Protocol.Ledger;

/// <summary>
/// The single writer's transaction on a <see cref="ILedgerStore"/>: reads see its own writes; nothing is
/// visible to others until <see cref="CommitAsync"/>, and disposing without committing rolls back.
/// Every method may throw <see cref="LedgerStoreException"/>.
/// </summary>
public interface ILedgerWriteTransaction : ILedgerReadTransaction
{
    /// <summary>
    /// Appends an entry after the current head and applies it to the materialised balances, keyset counters
    /// and spent-coin set. The store refuses (throws) an entry that does not chain to the head, or that spends
    /// a coin already spent: a backstop beneath the ledger's own checks (a unique index in SQL stores).
    /// </summary>
    /// <param name="entry">The entry; its sequence is the head's plus one and its previous hash the head's hash.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the entry is written (not yet committed).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>.</exception>
    ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken);

    /// <summary>Stores the outcome of a request under its idempotency key, which must be unused.</summary>
    /// <param name="record">The outcome.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the record is written (not yet committed).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    ValueTask RecordOutcomeAsync(IdempotencyRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Makes every write of the transaction durable and visible, atomically. Refused (throws
    /// <see cref="LedgerStoreException"/>) after any write of the transaction failed, since a failed write may
    /// have left part of its effect behind; such a transaction can only be disposed (rolled back).
    /// </summary>
    /// <param name="cancellationToken">Cancels before the commit starts; a commit in progress is not interrupted.</param>
    /// <returns>A task that completes when the commit is durable.</returns>
    ValueTask CommitAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The stored outcomes of several idempotency keys, in as few reads as the store can make. The default asks
    /// <see cref="ILedgerReadTransaction.FindOutcomeAsync"/> once per key; a SQL store answers in a few statements.
    /// </summary>
    /// <param name="keys">The keys; a key may repeat.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>For each used key among <paramref name="keys"/>, its record; unused keys are absent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> or an item of it is <see langword="null"/>.</exception>
    /// <remarks>Used by a payroll batch (docs/PROTOCOL.md 5.21) to look up all of its line keys at once.</remarks>
    async ValueTask<IReadOnlyDictionary<IdempotencyKey, IdempotencyRecord>> FindOutcomesAsync(IReadOnlyCollection<IdempotencyKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<IdempotencyKey, IdempotencyRecord>();
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            if (!found.ContainsKey(key) && await FindOutcomeAsync(key, cancellationToken).ConfigureAwait(false) is { } record)
            {
                found.Add(key, record);
            }
        }

        return found;
    }

    /// <summary>
    /// The materialised balances of several accounts, in as few reads as the store can make. The default asks
    /// <see cref="ILedgerReadTransaction.GetBalanceAsync"/> once per account.
    /// </summary>
    /// <param name="accounts">The accounts; an account may repeat.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Every account of <paramref name="accounts"/> with its balance; zero for an account never posted to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="accounts"/> or an item of it is <see langword="null"/>.</exception>
    /// <remarks>Used by a payroll batch (docs/PROTOCOL.md 5.21) to check every line's range against balances read once.</remarks>
    async ValueTask<IReadOnlyDictionary<LedgerAccount, long>> GetBalancesAsync(IReadOnlyCollection<LedgerAccount> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var balances = new Dictionary<LedgerAccount, long>();
        foreach (var account in accounts)
        {
            ArgumentNullException.ThrowIfNull(account, nameof(accounts));
            if (!balances.ContainsKey(account))
            {
                balances.Add(account, await GetBalanceAsync(account, cancellationToken).ConfigureAwait(false));
            }
        }

        return balances;
    }

    /// <summary>
    /// Appends several entries, in order, and stores several outcomes: the same effect as
    /// <see cref="AppendAsync"/> for each entry followed by <see cref="RecordOutcomeAsync"/> for each record, which is
    /// what the default does. A SQL store writes them in a few multi-row statements and adds each account's net
    /// change to its balance once.
    /// </summary>
    /// <param name="entries">The entries; the first chains to the head and each further one to the one before it. May be empty.</param>
    /// <param name="outcomes">The outcomes, each under an unused key. May be empty.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when everything is written (not yet committed).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/>, <paramref name="outcomes"/> or an item of them is <see langword="null"/>.</exception>
    /// <remarks>Used by a payroll batch (docs/PROTOCOL.md 5.21); a failure leaves a transaction that can only be rolled back.</remarks>
    async ValueTask AppendBatchAsync(IReadOnlyList<JournalEntry> entries, IReadOnlyList<IdempotencyRecord> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var entry in entries)
        {
            await AppendAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        foreach (var outcome in outcomes)
        {
            await RecordOutcomeAsync(outcome, cancellationToken).ConfigureAwait(false);
        }
    }
}
