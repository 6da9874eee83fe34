using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>An <see cref="IWitnessStore"/> in memory, for tests and for witnesses whose state may be lost on restart.</summary>
/// <remarks>
/// A witness that forgets its state would cosign a fork after restarting, so production witnesses use a durable
/// store such as <see cref="FileWitnessStore"/>.
/// </remarks>
public sealed class InMemoryWitnessStore : IWitnessStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SignedNote> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SplitViewEvidence>> _evidence = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<SignedNote?> GetLatestAsync(string origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_latest.GetValueOrDefault(origin));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryReplaceLatestAsync(string origin, SignedNote? expected, SignedNote latest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(latest);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!string.Equals(_latest.GetValueOrDefault(origin)?.Text, expected?.Text, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            _latest[origin] = latest;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask AddEvidenceAsync(SplitViewEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_evidence.TryGetValue(evidence.Origin, out List<SplitViewEvidence>? list))
            {
                _evidence[evidence.Origin] = list = [];
            }

            if (!list.Contains(evidence))
            {
                list.Add(evidence);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ImmutableArray<SplitViewEvidence>> GetEvidenceAsync(string origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_evidence.TryGetValue(origin, out List<SplitViewEvidence>? list) ? [.. list] : ImmutableArray<SplitViewEvidence>.Empty);
        }
    }
}
