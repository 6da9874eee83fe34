using System.Collections.Concurrent;

namespace PortableBenefits.Demo.Pilot;

/// <summary>Running totals the steps add to (from several threads) and the report prints; every one is reconciled with the ledger or the log before it is shown.</summary>
internal sealed class PilotFigures
{
    private readonly ConcurrentDictionary<string, long> _values = new(StringComparer.Ordinal);

    /// <summary>Sample rows for the "what each party saw" table, one per party.</summary>
    public ConcurrentDictionary<string, string[]> SampleRows { get; } = new(StringComparer.Ordinal);

    public long this[string name] => _values.GetValueOrDefault(name);

    public void Add(string name, long value) => _values.AddOrUpdate(name, value, (_, v) => v + value);

    public IEnumerable<(string Name, long Value)> WithPrefix(string prefix) =>
        _values.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key[prefix.Length..], kv.Value));
}
