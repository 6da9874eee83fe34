namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The operator endpoints' idempotency memory: the response to each <c>Idempotency-Key</c>, with the hash of the body
/// it answered. A retry gets the stored bytes; a concurrent duplicate waits for the first; a failure is forgotten so a
/// retry runs again. Bounded: past <c>capacity</c> keys the oldest are forgotten (the operations stay idempotent by
/// what they name, so a very late retry is still applied at most once; it may only answer differently).
/// </summary>
internal sealed class ResponseMemory(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The response for <paramref name="key"/>, running <paramref name="run"/> only the first time; null when the key was used for another body.</summary>
    public async Task<byte[]?> RunOnceAsync(string key, byte[] requestHash, Func<Task<byte[]>> run)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Entry(requestHash, new Lazy<Task<byte[]>>(run));
                _entries[key] = entry;
                _order.Enqueue(key);
                while (_order.Count > capacity)
                {
                    _entries.Remove(_order.Dequeue());
                }
            }
        }

        if (!entry.RequestHash.AsSpan().SequenceEqual(requestHash))
        {
            return null;
        }

        try
        {
            return await entry.Response.Value.ConfigureAwait(false);
        }
        catch (Exception)
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
                {
                    _entries.Remove(key);
                }
            }

            throw;
        }
    }

    private sealed record Entry(byte[] RequestHash, Lazy<Task<byte[]>> Response);
}
