namespace Wallet.Protocol.Schemes;

// Several processes serving one scheme over shared stores (docs/scaling.md "Several nodes"): the write lock they share,
// and the signers each keeps in step with the shared keyset store.
public sealed partial class BenefitScheme
{
    /// <summary>
    /// The scheme's write lock (its gate): held around every log append and every decision that spends coins. Defaults
    /// to an <see cref="InProcessSchemeWriteLock"/> of this object's own, right for one process. Several processes
    /// serving this scheme over the same stores must all set the same shared lock, such as
    /// <c>Wallet.Storage.Postgres.PostgresSchemeWriteLock</c>. Not owned: the caller disposes what it passes.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <remarks>docs/architecture.md "The scheme's gate"; docs/scaling.md "Several nodes".</remarks>
    public ISchemeWriteLock WriteLock
    {
        get => _context.WriteLock;
        init => _context.WriteLock = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// One store transaction per operation (docs/architecture.md "One transaction per operation"): when the ledger, the
    /// scheme store and the log store share one database, such as <c>Wallet.Storage.Sqlite.SqliteSchemeDatabase</c> or <c>Wallet.Storage.Postgres.PostgresSchemeDatabase</c>, set
    /// it here and every operation's journal entry, scheme records and log leaf commit together. Null (the default):
    /// each store commits its own writes and idempotency keys finish an operation a crash cut short. Not owned.
    /// </summary>
    public ISchemeTransactions? Transactions
    {
        get => _context.Transactions;
        init => _context.Transactions = value;
    }

    /// <summary>
    /// How long this object uses a keyset's attached signer before it reads the keyset's stored record again, so a
    /// revocation or expiry made by another process serving the scheme takes effect here within it. Zero reads it for
    /// every request. A keyset announced elsewhere gets its signer the first time a request names it, whatever this says.
    /// Default 5 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    /// <remarks>docs/scaling.md "Several nodes".</remarks>
    public TimeSpan SignerRefreshInterval
    {
        get => _signerRefresh.Interval;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _signerRefresh.Interval = value;
        }
    }

    // Every keyset a request names, inputs and outputs, before its handler looks for signers.
    private ValueTask RefreshSignersAsync(IEnumerable<KeysetId> named, CancellationToken cancellationToken) =>
        _signerRefresh.RefreshAsync(named, cancellationToken);

    // Runs the handler once the signers are current; with nothing to refresh (the common case) without another await.
    private static Task<T> AfterRefreshAsync<T>(ValueTask refresh, Func<Task<T>> handler)
    {
        return refresh.IsCompletedSuccessfully ? handler() : SlowAsync(refresh, handler);

        static async Task<T> SlowAsync(ValueTask refresh, Func<Task<T>> handler)
        {
            await refresh.ConfigureAwait(false);
            return await handler().ConfigureAwait(false);
        }
    }
}
