namespace Wallet.Storage.Testing;

/// <summary>
/// Builds the journal entry an operation would append, through the public <see cref="SchemeLedger"/>, without
/// writing it: a decorator over the store under test whose write transaction hands the entry back instead of
/// appending it, and never commits. The ledger contract uses it to give a store entries the ledger itself would never
/// write (one that does not chain to the head, one that spends a spent coin); JournalEntry's own factory is internal
/// to Wallet.Protocol, and a package may not open another's internals (ProjectGraphTests).
/// </summary>
internal sealed class EntryCapture(ILedgerStore inner, TimeProvider time) : ILedgerStore
{
    private JournalEntry? _captured;

    /// <summary>The head the operation builds on instead of the store's own; null for the store's.</summary>
    public JournalHead? Head { get; init; }

    /// <summary>Whether the operation sees every coin as unspent, as a ledger that skipped its check would.</summary>
    public bool HideSpentCoins { get; init; }

    /// <summary>Runs <paramref name="operation"/> on a ledger over this decorator and returns the entry it appended.</summary>
    public async Task<JournalEntry> CaptureAsync(Func<SchemeLedger, Task> operation)
    {
        try
        {
            await operation(new SchemeLedger(this, time));
        }
        catch (CapturedException)
        {
            return _captured!;
        }

        throw new InvalidOperationException("The operation appended no entry.");
    }

    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken) =>
        new Capturing(await inner.BeginWriteAsync(cancellationToken), this);

    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) => inner.BeginReadAsync(cancellationToken);

    private sealed class Capturing(ILedgerWriteTransaction inner, EntryCapture owner) : DelegatingLedgerWriteTransaction(inner)
    {
        public override ValueTask<JournalHead> GetHeadAsync(CancellationToken cancellationToken) =>
            owner.Head is { } head ? ValueTask.FromResult(head) : base.GetHeadAsync(cancellationToken);

        public override ValueTask<long?> FindSpentAsync(CoinId coin, CancellationToken cancellationToken) =>
            owner.HideSpentCoins ? ValueTask.FromResult<long?>(null) : base.FindSpentAsync(coin, cancellationToken);

        public override ValueTask<IReadOnlyDictionary<CoinId, long>> FindSpentAsync(IReadOnlyCollection<CoinId> coins, CancellationToken cancellationToken) =>
            owner.HideSpentCoins ? ValueTask.FromResult<IReadOnlyDictionary<CoinId, long>>(new Dictionary<CoinId, long>()) : base.FindSpentAsync(coins, cancellationToken);

        // The entry goes back to the test, not into the store; the ledger then disposes the transaction uncommitted.
        public override ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            owner._captured = entry;
            throw new CapturedException();
        }

        public override ValueTask CommitAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("An entry capture never commits.");
    }

    private sealed class CapturedException : Exception;
}
