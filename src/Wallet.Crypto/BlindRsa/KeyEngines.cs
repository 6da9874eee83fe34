namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// The RSA engines of one blind RSA key: the key's own, built on first use, and those of its metadata-derived keys
/// (RSAPBSSA), built per metadata value. Releasing it disposes every engine it built; after that every access
/// throws <see cref="ObjectDisposedException"/> naming the key.
/// </summary>
internal sealed class KeyEngines
{
    private readonly object _key;
    private readonly Lazy<RsaEngine> _engine;
    private readonly DerivedKeyCache _derived;
    private int _released;

    /// <param name="key">The key the engines belong to, named by <see cref="ObjectDisposedException"/>.</param>
    /// <param name="create">Builds the key's own engine.</param>
    /// <param name="derive">Builds the engine of the key derived from the given metadata.</param>
    public KeyEngines(object key, Func<RsaEngine> create, Func<byte[], RsaEngine> derive)
    {
        _key = key;
        _engine = new Lazy<RsaEngine>(create, LazyThreadSafetyMode.ExecutionAndPublication);
        _derived = new DerivedKeyCache(derive);
    }

    /// <summary>The key's own engine.</summary>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public RsaEngine Engine
    {
        get
        {
            ThrowIfReleased();
            return _engine.Value;
        }
    }

    /// <summary>
    /// The engine of the key derived from <paramref name="metadata"/> when <paramref name="derived"/>, otherwise the
    /// key's own; when <paramref name="owned"/> the caller must dispose it.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public RsaEngine For(ReadOnlySpan<byte> metadata, bool derived, out bool owned)
    {
        ThrowIfReleased();
        owned = false;
        return derived ? _derived.Get(metadata, out owned) : Engine;
    }

    /// <summary>Throws when the key has been disposed.</summary>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public void ThrowIfReleased() => ObjectDisposedException.ThrowIf(_released != 0, _key);

    /// <summary>Disposes every engine built so far, once.</summary>
    /// <returns>Whether this call released them; <see langword="false"/> when an earlier call did.</returns>
    public bool Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return false;
        }

        if (_engine.IsValueCreated)
        {
            _engine.Value.Dispose();
        }

        _derived.Dispose();
        return true;
    }
}
