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
}
