namespace Wallet.Protocol.Log;

/// <summary>The bytes of every log entry with the operation that logged it, for exactly-once logging and log reads (part of <see cref="Schemes.ISchemeStore"/>).</summary>
public interface ILogRecordStore
{
    /// <summary>
    /// Stores the bytes of log entry <paramref name="index"/> with the operation that logs it, replacing any entry
    /// (and its operation) that a crashed append left at that index.
    /// </summary>
    /// <remarks>
    /// The operation key is what makes logging exactly-once across crashes: a retried operation finds its entry with
    /// <see cref="FindLogIndexAsync"/> instead of appending it again. An operation has at most one stored entry.
    /// </remarks>
    /// <param name="index">The leaf index.</param>
    /// <param name="entry">The entry.</param>
    /// <param name="operation">The key of the operation that logs the entry (unique per operation).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutLogEntryAsync(ulong index, LogEntry entry, string operation, CancellationToken cancellationToken);

    /// <summary>Finds the index at which an operation's log entry was stored.</summary>
    /// <param name="operation">The operation key given to <see cref="PutLogEntryAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The index, or null when the operation has no stored entry (never written, or overwritten).</returns>
    ValueTask<ulong?> FindLogIndexAsync(string operation, CancellationToken cancellationToken);

    /// <summary>Reads log entry <paramref name="index"/>.</summary>
    /// <param name="index">The leaf index.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry, or null.</returns>
    ValueTask<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken);
}
