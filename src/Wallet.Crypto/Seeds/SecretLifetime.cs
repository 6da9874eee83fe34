namespace Wallet.Crypto.Seeds;

/// <summary>
/// Makes disposal of a secret and the operations that read it mutually exclusive without serializing the readers:
/// each operation holds a lease for as long as it reads the secret, and disposal first forbids new leases, then waits
/// for the leases in flight to end before the caller wipes the bytes. So no operation can read wiped (zero) bytes and
/// return a result computed from them.
/// </summary>
/// <remarks>
/// Leases are short (a few HKDF calls), so disposal spins rather than blocking. An operation must never dispose its
/// own owner while holding a lease: disposal would wait for it forever.
/// </remarks>
internal sealed class SecretLifetime
{
    private const int DisposedFlag = int.MinValue;
    private int _state; // the disposed flag in the sign bit, the number of leases in flight in the rest

    /// <summary>Whether disposal has begun; after that no lease is granted.</summary>
    internal bool IsDisposed => (Volatile.Read(ref _state) & DisposedFlag) != 0;

    /// <summary>Takes a lease unless disposal has begun.</summary>
    /// <returns>Whether the lease was granted; if so the caller must call <see cref="Exit"/> in a <c>finally</c>.</returns>
    internal bool TryEnter()
    {
        int state = Volatile.Read(ref _state);
        while ((state & DisposedFlag) == 0)
        {
            int seen = Interlocked.CompareExchange(ref _state, state + 1, state);
            if (seen == state)
            {
                return true;
            }

            state = seen;
        }

        return false;
    }

    /// <summary>Takes a lease or throws.</summary>
    /// <param name="owner">The object whose secret is protected, named in the exception.</param>
    /// <exception cref="ObjectDisposedException">Disposal has begun.</exception>
    internal void Enter(object owner)
    {
        if (!TryEnter())
        {
            throw new ObjectDisposedException(owner.GetType().FullName);
        }
    }

    /// <summary>Ends a lease granted by <see cref="TryEnter"/> or <see cref="Enter"/>.</summary>
    internal void Exit() => Interlocked.Decrement(ref _state);

    /// <summary>Forbids new leases and waits until the leases in flight have ended.</summary>
    /// <returns>
    /// <see langword="true"/> for the first call only: that caller wipes the secret. Later calls return at once.
    /// </returns>
    internal bool BeginDispose()
    {
        if ((Interlocked.Or(ref _state, DisposedFlag) & DisposedFlag) != 0)
        {
            return false;
        }

        var wait = default(SpinWait);
        while ((Volatile.Read(ref _state) & ~DisposedFlag) != 0)
        {
            wait.SpinOnce();
        }

        return true;
    }
}
