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

    private sealed class Pausing(ILedgerWriteTransaction inner, TaskCompletionSource paused, TaskCompletionSource resume) : DelegatingLedgerWriteTransaction(inner)
    {
        public override async ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            await Inner.AppendAsync(entry, cancellationToken);
            paused.TrySetResult();
            await resume.Task;
        }
    }
}
