namespace Wallet.Protocol.Ledger;

/// <summary>
/// Persistence for the ledger: an append-only journal, the spent-coin set, idempotency records and balances
/// materialised from the journal. Implementations: in-memory, SQLite, and later PostgreSQL; all pass the same
/// behaviour contract suite.
/// </summary>
/// <remarks>
/// The ledger logic lives in <see cref="SchemeLedger"/>; a store only provides transactions. Write
/// transactions are serialised against each other (the journal is a hash chain, so there is one writer at a
/// time): SQLite uses <c>BEGIN IMMEDIATE</c>, PostgreSQL can take a lock on the journal head row.
/// </remarks>
public interface ILedgerStore
{
    /// <summary>
    /// Starts a write transaction, waiting for any other writer to finish. Nothing it writes is visible to
    /// others or durable until <see cref="ILedgerWriteTransaction.CommitAsync"/>; disposing without committing
    /// rolls everything back.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The transaction.</returns>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken);

    /// <summary>Starts a read transaction over a consistent snapshot of the committed state.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The transaction.</returns>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken);
}
