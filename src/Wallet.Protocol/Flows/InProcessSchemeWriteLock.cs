namespace Wallet.Protocol.Flows;

/// <summary>
/// The scheme's write lock within one process: one <see cref="SemaphoreSlim"/>. The default of a
/// <c>BenefitScheme</c>; correct only while a single process writes the scheme's stores.
/// </summary>
/// <remarks>Taking a free lock completes synchronously and allocates nothing; it can never be lost.</remarks>
public sealed class InProcessSchemeWriteLock : ISchemeWriteLock, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lease _lease;

    /// <summary>Creates a free lock.</summary>
    public InProcessSchemeWriteLock() => _lease = new Lease(_gate);

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The lock is disposed.</exception>
    public ValueTask<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        Task wait = _gate.WaitAsync(cancellationToken);
        return wait.IsCompletedSuccessfully ? new ValueTask<IAsyncDisposable>(_lease) : WaitAsync(wait);
    }

    /// <inheritdoc/>
    /// <remarks>An in-process lock is never lost: completes at once.</remarks>
    public ValueTask EnsureHeldAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Releases the semaphore's wait handle, if one was made.</summary>
    public void Dispose() => _gate.Dispose();

    private async ValueTask<IAsyncDisposable> WaitAsync(Task wait)
    {
        await wait.ConfigureAwait(false);
        return _lease;
    }

    // One lease object per lock: the lock has one holder at a time, so the holder's lease needs no state of its own.
    private sealed class Lease(SemaphoreSlim gate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate.Release();
            return ValueTask.CompletedTask;
        }
    }
}
