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
    protected RsaEngine(RsaKeyMaterial key)
    {
        Key = key;
    }

    public RsaKeyMaterial Key { get; }

    public int ModulusLength => Key.ModulusLength;

    public abstract RsaBackendKind Kind { get; }

    public abstract bool HasPrivate { get; }

    /// <summary>output = input^e mod n.</summary>
    public abstract void Public(ReadOnlySpan<byte> input, Span<byte> output);

    /// <summary>output = input^d mod n.</summary>
    /// <exception cref="InvalidOperationException">The engine holds only a public key.</exception>
    public abstract void Private(ReadOnlySpan<byte> input, Span<byte> output);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
