namespace Wallet.Protocol.Flows;

/// <summary>
/// The scheme's write lock (its "gate"): whatever spends coins in the ledger decides under it, and every log append
/// happens under it, so that first spend wins and the log's order agrees with the stored entries. With one process
/// <see cref="InProcessSchemeWriteLock"/> is enough; several processes serving one scheme over shared stores share one
/// lock across them (for example <c>Wallet.Storage.Postgres.PostgresSchemeWriteLock</c>, a PostgreSQL advisory lock).
/// </summary>
/// <remarks>
/// docs/architecture.md "The scheme's gate" and docs/scaling.md "Several nodes". An implementation is a mutual
/// exclusion lock, not re-entrant: a holder never enters again before it releases. Within one process it admits one
/// holder at a time too, so <see cref="EnsureHeldAsync"/> speaks of the one current holder.
/// </remarks>
public interface ISchemeWriteLock
{
    /// <summary>Waits until the lock is free, takes it, and returns what releases it.</summary>
    /// <param name="cancellationToken">Cancels the wait; the lock is then not held.</param>
    /// <returns>The lease: disposing it releases the lock, once.</returns>
    /// <exception cref="SchemeWriteLockException">The lock cannot be taken (its server cannot be reached); it is not held.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the lock is not held.</exception>
    /// <remarks>
    /// Disposing the lease throws <see cref="SchemeWriteLockLostException"/> when the lock turns out to have been lost
    /// while held (the lock is released locally all the same), so an operation that ran unguarded fails instead of
    /// reporting success.
    /// </remarks>
    ValueTask<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Confirms that the current holder still holds the lock, before a step that must not run unguarded (storing a log
    /// entry at the tree size and appending it). Called only by the holder.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A task that completes when the lock is confirmed.</returns>
    /// <exception cref="SchemeWriteLockLostException">The lock was lost (its connection died): another process may hold it now.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask EnsureHeldAsync(CancellationToken cancellationToken);
}
