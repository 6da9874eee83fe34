namespace Wallet.Protocol.Flows;

/// <summary>
/// One store transaction per scheme operation: stores that share one database (the ledger, the scheme store and the
/// Merkle log store of <c>Wallet.Storage.Sqlite.SqliteSchemeDatabase</c> or of
/// <c>Wallet.Storage.Postgres.PostgresSchemeDatabase</c>) write everything an operation writes (its
/// journal entry, its scheme records, its log leaf and nodes) in one transaction, so a crash leaves all of it or none.
/// Without one, each store commits its own writes, and the scheme's idempotency keys finish an operation a crash cut
/// short (docs/PROTOCOL.md 5.6).
/// </summary>
/// <remarks>
/// docs/architecture.md "One transaction per operation". The scheme runs an operation's writes under its write lock
/// (<see cref="ISchemeWriteLock"/>) and inside <see cref="RunAsync{T}"/>: the stores that belong to this transaction
/// source see the transaction from the operation's asynchronous flow, and from nowhere else. An operation must not use
/// the stores from tasks it starts in parallel.
/// </remarks>
public interface ISchemeTransactions
{
    /// <summary>
    /// Runs <paramref name="operation"/> in one store transaction: committed when it returns, rolled back when it
    /// throws (or when the commit fails), and the exception passed on.
    /// </summary>
    /// <typeparam name="T">The operation's result.</typeparam>
    /// <param name="operation">The operation; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the database's writer and the operation.</param>
    /// <returns>The operation's result, once its writes are committed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is null.</exception>
    /// <exception cref="InvalidOperationException">An operation is already running in this flow (operations do not nest).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was committed.</exception>
    Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken);
}
