using Wallet.Protocol;
using Wallet.Protocol.Ledger;

namespace Wallet.Storage.Postgres.Tests.Ledger;

/// <summary>
/// Wraps a real store so the next write transaction stops right after its entry is written (uncommitted),
/// letting a test break the server connection at exactly that point.
/// </summary>
public sealed class PausingLedgerStore(ILedgerStore inner) : ILedgerStore
{
    private TaskCompletionSource? _paused;
    private TaskCompletionSource? _resume;
    private TaskCompletionSource? _armedResume;

    /// <summary>Arms the pause; the returned task completes once a transaction has appended and is waiting.</summary>
    public Task PauseNextAppend()
    {
        _paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _armedResume = _resume;
        return _paused.Task;
    }

    public void Resume() => _armedResume?.TrySetResult();

    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var transaction = await inner.BeginWriteAsync(cancellationToken);
        var (paused, resume) = (_paused, _resume);
        _paused = null;
        _resume = null;
        return paused is null ? transaction : new Pausing(transaction, paused, resume!);
    }

    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) => inner.BeginReadAsync(cancellationToken);

    private sealed class Pausing(ILedgerWriteTransaction inner, TaskCompletionSource paused, TaskCompletionSource resume) : ILedgerWriteTransaction
    {
        public async ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            await inner.AppendAsync(entry, cancellationToken);
            paused.TrySetResult();
            await resume.Task;
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken) => inner.CommitAsync(cancellationToken);

        public ValueTask RecordOutcomeAsync(IdempotencyRecord record, CancellationToken cancellationToken) => inner.RecordOutcomeAsync(record, cancellationToken);

        public ValueTask<JournalHead> GetHeadAsync(CancellationToken cancellationToken) => inner.GetHeadAsync(cancellationToken);

        public ValueTask<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken) => inner.GetBalanceAsync(account, cancellationToken);

        public ValueTask<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken) => inner.GetKeysetAsync(keyset, cancellationToken);

        public ValueTask<IdempotencyRecord?> FindOutcomeAsync(IdempotencyKey key, CancellationToken cancellationToken) => inner.FindOutcomeAsync(key, cancellationToken);

        public ValueTask<long> CountSpentCoinsAsync(CancellationToken cancellationToken) => inner.CountSpentCoinsAsync(cancellationToken);

        public ValueTask<long> CountEntryOutcomesAsync(CancellationToken cancellationToken) => inner.CountEntryOutcomesAsync(cancellationToken);

        public ValueTask<long?> FindSpentAsync(CoinId coin, CancellationToken cancellationToken) => inner.FindSpentAsync(coin, cancellationToken);

        public ValueTask<IReadOnlyDictionary<CoinId, long>> FindSpentAsync(IReadOnlyCollection<CoinId> coins, CancellationToken cancellationToken) => inner.FindSpentAsync(coins, cancellationToken);

        public ValueTask<JournalEntry?> GetEntryAsync(long sequence, CancellationToken cancellationToken) => inner.GetEntryAsync(sequence, cancellationToken);

        public IAsyncEnumerable<JournalEntry> ReadJournalAsync(long fromSequence, CancellationToken cancellationToken) => inner.ReadJournalAsync(fromSequence, cancellationToken);

        public IAsyncEnumerable<AccountBalance> ReadBalancesAsync(CancellationToken cancellationToken) => inner.ReadBalancesAsync(cancellationToken);

        public IAsyncEnumerable<KeysetTotals> ReadKeysetsAsync(CancellationToken cancellationToken) => inner.ReadKeysetsAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
