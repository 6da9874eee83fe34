namespace Wallet.Protocol.Ledger;

/// <summary>
/// A write transaction that passes every call to another one: the base for ledger-store decorators (metrics, fault
/// injection, tracing) that override only the calls they watch.
/// </summary>
/// <param name="inner">The transaction the calls go to.</param>
public abstract class DelegatingLedgerWriteTransaction(ILedgerWriteTransaction inner) : ILedgerWriteTransaction
{
    /// <summary>The transaction the calls go to.</summary>
    protected ILedgerWriteTransaction Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public virtual ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken) => Inner.AppendAsync(entry, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask RecordOutcomeAsync(IdempotencyRecord record, CancellationToken cancellationToken) => Inner.RecordOutcomeAsync(record, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask CommitAsync(CancellationToken cancellationToken) => Inner.CommitAsync(cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<JournalHead> GetHeadAsync(CancellationToken cancellationToken) => Inner.GetHeadAsync(cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken) => Inner.GetBalanceAsync(account, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken) => Inner.GetKeysetAsync(keyset, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<IdempotencyRecord?> FindOutcomeAsync(IdempotencyKey key, CancellationToken cancellationToken) => Inner.FindOutcomeAsync(key, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<long?> FindSpentAsync(CoinId coin, CancellationToken cancellationToken) => Inner.FindSpentAsync(coin, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<IReadOnlyDictionary<CoinId, long>> FindSpentAsync(IReadOnlyCollection<CoinId> coins, CancellationToken cancellationToken) => Inner.FindSpentAsync(coins, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<JournalEntry?> GetEntryAsync(long sequence, CancellationToken cancellationToken) => Inner.GetEntryAsync(sequence, cancellationToken);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<JournalEntry> ReadJournalAsync(long fromSequence, CancellationToken cancellationToken) => Inner.ReadJournalAsync(fromSequence, cancellationToken);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<AccountBalance> ReadBalancesAsync(CancellationToken cancellationToken) => Inner.ReadBalancesAsync(cancellationToken);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<AccountBalance> ReadWorkerBalancesAsync(AccountId worker, CancellationToken cancellationToken) => Inner.ReadWorkerBalancesAsync(worker, cancellationToken);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<KeysetTotals> ReadKeysetsAsync(CancellationToken cancellationToken) => Inner.ReadKeysetsAsync(cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<long> CountSpentCoinsAsync(CancellationToken cancellationToken) => Inner.CountSpentCoinsAsync(cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<long> CountEntryOutcomesAsync(CancellationToken cancellationToken) => Inner.CountEntryOutcomesAsync(cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        // Stryker disable once Statement : equivalent, this class has no finalizer.
        GC.SuppressFinalize(this);
        return Inner.DisposeAsync();
    }
}
