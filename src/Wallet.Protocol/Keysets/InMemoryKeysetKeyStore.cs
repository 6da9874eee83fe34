using System.Collections.Concurrent;

namespace Wallet.Protocol.Keysets;

/// <summary>
/// Keeps keyset keys in this process only, for tests and for schemes whose keysets need not outlive it (everything is
/// lost at exit). The default key store of <c>BenefitScheme</c>.
/// </summary>
/// <remarks>
/// An exportable key is copied into a non-exportable key that the store owns. A key that is not exportable cannot be
/// copied, so the store keeps a reference to it: its owner keeps it undisposed as long as the scheme issues with it.
/// </remarks>
public sealed class InMemoryKeysetKeyStore : IKeysetKeyStore, IDisposable
{
    private readonly ConcurrentDictionary<KeysetId, (BlindRsaPrivateKey Key, bool Owned)> _keys = new();

    /// <inheritdoc/>
    public ValueTask PutAsync(KeysetId keyset, BlindRsaPrivateKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        if (_keys.ContainsKey(keyset))
        {
            return ValueTask.CompletedTask;
        }

        var entry = Custody(key);
        if (!_keys.TryAdd(keyset, entry) && entry.Owned)
        {
            entry.Key.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<BlindRsaPrivateKey?> TryLoadAsync(KeysetId keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_keys.TryGetValue(keyset, out var entry) ? entry.Key : null);
    }

    /// <summary>Disposes the keys the store copied; keys it only referenced stay their owners'.</summary>
    public void Dispose()
    {
        foreach (var (_, entry) in _keys)
        {
            if (entry.Owned)
            {
                entry.Key.Dispose();
            }
        }

        _keys.Clear();
    }

    /// <summary>Describes the store by its size only.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"InMemoryKeysetKeyStore({_keys.Count} keys)";

    private static (BlindRsaPrivateKey Key, bool Owned) Custody(BlindRsaPrivateKey key)
    {
        byte[] pkcs8;
        try
        {
            pkcs8 = key.ExportPkcs8();
        }
        catch (InvalidOperationException)
        {
            return (key, false);
        }

        try
        {
            return (BlindRsaPrivateKey.ImportPkcs8(pkcs8, key.Scheme, exportable: false), true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
