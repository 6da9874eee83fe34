using System.Collections.Concurrent;

namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// Engines for metadata-derived keys, built once per metadata value: deriving e' costs an HKDF and (for the
/// signer) a modular inversion, and building an engine runs a self-check. Keyed by SHA-256 of the metadata, so
/// attacker-chosen metadata cannot make the cache hold large keys; bounded, and past the bound engines are built for
/// one use and the caller disposes them. Metadata is at most <see cref="MaximumMetadataLength"/> bytes.
/// </summary>
internal sealed class DerivedKeyCache : IDisposable
{
    /// <summary>The longest public metadata accepted, in bytes.</summary>
    public const int MaximumMetadataLength = 4096;

    private const int Capacity = 256;

    private readonly ConcurrentDictionary<string, Lazy<RsaEngine>> _engines = new(StringComparer.Ordinal);
    private readonly Func<byte[], RsaEngine> _factory;

    public DerivedKeyCache(Func<byte[], RsaEngine> factory)
    {
        _factory = factory;
    }

    /// <summary>The engine for <paramref name="metadata"/>; when <paramref name="owned"/> the caller must dispose it.</summary>
    /// <exception cref="ArgumentException">The metadata is longer than <see cref="MaximumMetadataLength"/>.</exception>
    public RsaEngine Get(ReadOnlySpan<byte> metadata, out bool owned)
    {
        CheckMetadata(metadata);

        string id = Convert.ToBase64String(SHA256.HashData(metadata));
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

        var entry = _engines.GetOrAdd(id, _ => new Lazy<RsaEngine>(() => _factory(copy), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            // Lazy caches a factory's exception; do not keep a poisoned entry.
            _engines.TryRemove(new KeyValuePair<string, Lazy<RsaEngine>>(id, entry));
            throw;
        }
    }

    /// <summary>Refuses metadata longer than <see cref="MaximumMetadataLength"/> (a caller error, checked first).</summary>
    /// <exception cref="ArgumentException">The metadata is too long.</exception>
    public static void CheckMetadata(ReadOnlySpan<byte> metadata)
    {
        if (metadata.Length > MaximumMetadataLength)
        {
            throw new ArgumentException($"Public metadata is at most {MaximumMetadataLength} bytes.", nameof(metadata));
        }
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
