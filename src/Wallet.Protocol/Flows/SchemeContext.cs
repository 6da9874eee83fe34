using System.Collections.Concurrent;

namespace Wallet.Protocol.Flows;

/// <summary>
/// What every flow handler of the scheme shares: the log records, the ledger, the clock, the keys, the transparency log,
/// the in-memory keyset signers and the write lock that serialises log appends (in this process or across several).
/// One instance per <c>BenefitScheme</c>.
/// </summary>
internal sealed class SchemeContext
{
    private readonly InProcessSchemeWriteLock _ownLock = new();
    private ISchemeWriteLock? _suppliedLock;

    public SchemeContext(Ed25519SigningKey schemeKey, Ed25519PublicKey accreditationKey, SchemeLedger ledger, ILogRecordStore logRecords, IMerkleLogStore logStore, TimeProvider time)
    {
        (SchemeKey, AccreditationKey, Ledger, LogRecords) = (schemeKey, accreditationKey, ledger, logRecords);
        Log = new MerkleLog(logStore);
        Time = time;
    }

    /// <summary>The scheme's key: announcements, receipts, tree heads.</summary>
    public Ed25519SigningKey SchemeKey { get; }

    /// <summary>The accreditation body's key: registries and allocation tables.</summary>
    public Ed25519PublicKey AccreditationKey { get; }

    public SchemeLedger Ledger { get; }

    /// <summary>The stored bytes of every log entry, keyed by the operation that logged it.</summary>
    public ILogRecordStore LogRecords { get; }

    public MerkleLog Log { get; }

    public TimeProvider Time { get; }

    /// <summary>The attached blind signers: a keyset issues once its key is attached (announced, or loaded from the key store).</summary>
    public ConcurrentDictionary<KeysetId, KeysetSigner> Signers { get; } = new();

    /// <summary>
    /// The gate: held around every log append and every decision that spends coins, so log order and the store's view
    /// of it agree (docs/architecture.md "The scheme's gate"). In-process by default; several nodes share one.
    /// </summary>
    public ISchemeWriteLock WriteLock
    {
        get => _suppliedLock ?? _ownLock;
        set => _suppliedLock = value;
    }

    /// <summary>The stores' one transaction per operation, when they share a database; null when each store commits its own writes.</summary>
    public ISchemeTransactions? Transactions { get; set; }

    /// <summary>
    /// Runs <paramref name="operation"/> under the write lock and, when the stores share a database, in one store
    /// transaction (<see cref="ISchemeTransactions"/>): committed when it returns, before the lock is released, so the
    /// next holder reads what it wrote; rolled back when it throws.
    /// </summary>
    public async Task<T> UnderGateAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        var held = await WriteLock.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await InTransactionAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await held.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> in one store transaction when the stores share a database, without the write
    /// lock: for writes that spend nothing and log nothing (contributions), whose parts must still land together.
    /// </summary>
    public Task<T> InTransactionAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken) =>
        Transactions is null ? operation() : Transactions.RunAsync(_ => operation(), cancellationToken);

    /// <inheritdoc cref="UnderGateAsync{T}(Func{Task{T}}, CancellationToken)"/>
    public Task UnderGateAsync(Func<Task> operation, CancellationToken cancellationToken) =>
        UnderGateAsync(
            async () =>
            {
                await operation().ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>
    /// Whether this scheme object is the stores' only writer: it kept its own in-process lock. A supplied lock, even an
    /// in-process one, says that other scheme objects write the same stores, so state read once is read again.
    /// </summary>
    public bool IsSoleWriter => _suppliedLock is null;

    /// <summary>How many cores one request may verify its coins on (docs/PROTOCOL.md 5.5) or blind-sign its outputs on (5.3, 5.10); at least 1.</summary>
    public int VerificationParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Batches of fewer coins than this verify on the calling thread (<see cref="ParallelChecks"/>).</summary>
    public int ParallelVerificationFrom { get; set; } = ParallelChecks.DefaultParallelFrom;

    // Scheme idempotency keys are scoped per account; the ledger's key space is global, so hash the pair into it.
    public static IdempotencyKey LedgerKey(string kind, string scope, IdempotencyKey key)
    {
        byte[] digest = SHA256.HashData(System.Text.Encoding.ASCII.GetBytes($"{scope}\n{key.Value}"));
        return new IdempotencyKey($"{kind}-{Convert.ToHexStringLower(digest)}");
    }

    // Exactly-once logging across crashes (docs/PROTOCOL.md 5.6). Callers hold WriteLock, confirmed first: storing at
    // the tree size is only safe while no other node can append. The entry's bytes are stored
    // with the operation's key before the leaf is appended; a retry of the operation finds the index: below the tree
    // size it was appended (return what was logged then), at the tree size the leaf never made it (store and append
    // again). An index whose bytes a later append overwrote no longer maps to the operation, so it is logged afresh.
    public Task<(ulong Index, LogEntry Entry)> AppendLogOnceAsync(string operation, LogEntry entry, CancellationToken cancellationToken) =>
        AppendLogAsync(operation, entry, lookUp: true, cancellationToken);

    // The same for the log entry of a ledger operation, logged under its ledger key after the ledger answered: idempotency
    // checked once. A fresh entry (not a replay) means no earlier attempt got past the ledger under this key, and only
    // such an attempt can have logged under it (the log follows the ledger entry, in the same transaction or after its
    // commit), so there is no record to look up; a replay looks it up as AppendLogOnceAsync does.
    public Task<(ulong Index, LogEntry Entry)> AppendLedgerLogAsync(IdempotencyKey ledgerKey, LedgerResult result, LogEntry entry, CancellationToken cancellationToken) =>
        AppendLogAsync(ledgerKey.Value, entry, lookUp: result.IsReplay, cancellationToken);

    private async Task<(ulong Index, LogEntry Entry)> AppendLogAsync(string operation, LogEntry entry, bool lookUp, CancellationToken cancellationToken)
    {
        await WriteLock.EnsureHeldAsync(cancellationToken).ConfigureAwait(false);
        ulong size = await Log.GetSizeAsync(cancellationToken).ConfigureAwait(false);
        if (lookUp
            && await LogRecords.FindLogIndexAsync(operation, cancellationToken).ConfigureAwait(false) is ulong found && found < size
            && await LogRecords.GetLogEntryAsync(found, cancellationToken).ConfigureAwait(false) is LogEntry logged)
        {
            return (found, logged);
        }

        await LogRecords.PutLogEntryAsync(size, entry, operation, cancellationToken).ConfigureAwait(false);
        ulong appended = await Log.AppendAsync(entry.Encode(), cancellationToken).ConfigureAwait(false);
        if (appended != size)
        {
            // Another writer appended between our size read and our append: the lock did not exclude it, and the bytes
            // stored at the old size may be the other writer's. Stop rather than answer with a wrong index.
            throw new SchemeWriteLockLostException($"The log grew from {size} to {appended} entries under the scheme's write lock.");
        }

        return (appended, entry);
    }
}
