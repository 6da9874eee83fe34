namespace Wallet.Crypto.Rsa;

/// <summary>
/// Raw RSA operations (RSAEP/RSAVP1 and, for private keys, RSADP/RSASP1 of RFC 8017 section 5) on
/// fixed-length big-endian integers. Implementations are thread-safe: one key serves many threads.
/// </summary>
/// <remarks>
/// Callers check that inputs are exactly <see cref="ModulusLength"/> bytes and represent integers below n; the
/// engines do not re-validate on the hot path.
/// </remarks>
internal abstract class RsaEngine : IDisposable
{
    private int _disposed;

    protected RsaEngine(RsaKeyMaterial key)
    {
        Key = key;
        HasPrivate = key.HasPrivate;
    }

    public RsaKeyMaterial Key { get; }

    public int ModulusLength => Key.ModulusLength;

    public abstract RsaBackendKind Kind { get; }

    /// <summary>Whether the engine was built with a private key (fixed at construction, unaffected by disposal).</summary>
    public bool HasPrivate { get; }

    /// <summary>Whether <see cref="Dispose()"/> has been called.</summary>
    protected bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>output = input^e mod n.</summary>
    public abstract void Public(ReadOnlySpan<byte> input, Span<byte> output);

    /// <summary>output = input^d mod n.</summary>
    /// <exception cref="InvalidOperationException">The engine holds only a public key.</exception>
    public abstract void Private(ReadOnlySpan<byte> input, Span<byte> output);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> after disposal, else <see cref="InvalidOperationException"/> for a public-only engine.</summary>
    protected void CheckPrivate()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!HasPrivate)
        {
            throw new InvalidOperationException("This RSA engine holds only a public key.");
        }
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
