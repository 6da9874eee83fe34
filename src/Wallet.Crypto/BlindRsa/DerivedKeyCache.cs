using System.Collections.Concurrent;
using Wallet.Crypto.Rsa;

namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// Engines for metadata-derived keys, built once per metadata value: deriving e' costs an HKDF and (for the
/// signer) a modular inversion, and building an engine runs a self-check. Bounded: past the capacity, engines are
/// built for one use and the caller disposes them.
/// </summary>
internal sealed class DerivedKeyCache : IDisposable
{
    private const int Capacity = 1024;

    private readonly ConcurrentDictionary<string, Lazy<RsaEngine>> _engines = new(StringComparer.Ordinal);
    private readonly Func<byte[], RsaEngine> _factory;

    public DerivedKeyCache(Func<byte[], RsaEngine> factory)
    {
        _factory = factory;
    }

    /// <summary>The engine for <paramref name="metadata"/>; when <paramref name="owned"/> the caller must dispose it.</summary>
    public RsaEngine Get(ReadOnlySpan<byte> metadata, out bool owned)
    {
        string id = Convert.ToHexString(metadata);
        owned = false;
        if (_engines.TryGetValue(id, out var cached))
        {
            return cached.Value;
        }

        byte[] copy = metadata.ToArray();
        if (_engines.Count >= Capacity)
        {
            owned = true;
            return _factory(copy);
        }

        return _engines.GetOrAdd(id, _ => new Lazy<RsaEngine>(() => _factory(copy), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    public void Dispose()
    {
        foreach (var entry in _engines.Values)
        {
            if (entry.IsValueCreated)
            {
                entry.Value.Dispose();
            }
        }

        _engines.Clear();
    }
}
