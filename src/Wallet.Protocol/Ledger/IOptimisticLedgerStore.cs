namespace Wallet.Protocol.Ledger;

/// <summary>
/// A ledger store that can also run a write transaction optimistically: without waiting for the writer lock
/// or asking the server anything, answering reads from what the store already knows and checking every answer
/// when the transaction commits. A networked store implements it to make a ledger operation one round trip
/// instead of several; <see cref="SchemeLedger"/> tries it first and runs the operation again with
/// <see cref="ILedgerStore.BeginWriteAsync"/> when it reports a conflict.
/// </summary>
/// <remarks>
/// <para>
/// An optimistic transaction's reads are assumptions, not facts: the journal head and balances the store last
/// committed, no stored outcome under the idempotency key it is asked about, no coin of a looked-up batch
/// already spent. Each one is checked at <see cref="ILedgerWriteTransaction.CommitAsync"/> under the writer
/// lock, in the same transaction that writes: if any no longer holds, nothing is written and the commit throws
/// <see cref="LedgerWriteConflictException"/>. A read the store cannot answer without the server throws that
/// exception at once, before anything is sent.
/// </para>
/// <para>
/// Two assumptions are only checkable through what the transaction then writes, so the caller must write
/// them: an idempotency key reported absent must be recorded with
/// <see cref="ILedgerWriteTransaction.RecordOutcomeAsync"/>, and a coin reported unspent must be spent by the
/// appended entry. Otherwise the commit throws <see cref="LedgerWriteConflictException"/>. docs/scaling.md,
/// "Round trips", measures what this saves.
/// </para>
/// </remarks>
public interface IOptimisticLedgerStore : ILedgerStore
{
    /// <summary>
    /// Starts an optimistic write transaction. Nothing it writes is visible to others or durable until
    /// <see cref="ILedgerWriteTransaction.CommitAsync"/>; disposing without committing discards it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The transaction.</returns>
    /// <exception cref="LedgerWriteConflictException">The store knows too little to run optimistically now.</exception>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<ILedgerWriteTransaction> BeginOptimisticWriteAsync(CancellationToken cancellationToken);
}
