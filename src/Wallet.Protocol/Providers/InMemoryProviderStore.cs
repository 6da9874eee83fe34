using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Providers;

/// <summary>An <see cref="IProviderStore"/> in process memory, for tests and single-process demos: a restart forgets everything. Thread-safe.</summary>
/// <remarks>The deposit in flight is kept encoded, as a durable store keeps it, so a retry sees the same decode path and bytes.</remarks>
public sealed partial class InMemoryProviderStore : IProviderStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<PaymentId, PaymentRequest> _open = [];
    private readonly Dictionary<PaymentId, (long Sequence, VerifiedPayment Payment)> _verified = [];
    private readonly Dictionary<PaymentId, ProviderPaymentState> _settled = [];
    private long _sequence;
    private byte[]? _inFlight;
    private SignedNote? _checkpoint;
    private readonly List<SplitViewEvidence> _splitViews = [];

    /// <inheritdoc/>
    public ValueTask AddOpenRequestAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var id = request.Id;
            if (!_verified.ContainsKey(id) && !_settled.ContainsKey(id))
            {
                _open.TryAdd(id, request);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> MarkVerifiedAsync(PaymentRequest request, IReadOnlyList<CoinSpend> spends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(spends);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_open.Remove(request.Id, out var open))
            {
                return ValueTask.FromResult(false);
            }

            _verified[request.Id] = (_sequence++, new VerifiedPayment(open, [.. spends]));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<VerifiedPayment>> ListVerifiedAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<VerifiedPayment>>([.. _verified.Values.OrderBy(v => v.Sequence).Take(limit).Select(v => v.Payment)]);
        }
    }

    /// <inheritdoc/>
    public ValueTask<DepositRequest?> GetInFlightDepositAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_inFlight is null ? null : DepositRequest.Decode(_inFlight));
        }
    }

    /// <inheritdoc/>
    public ValueTask<DepositRequest> BeginDepositAsync(DepositRequest deposit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _inFlight ??= deposit.Encode();
            return ValueTask.FromResult(DepositRequest.Decode(_inFlight));
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> ClearInFlightDepositAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(ClearInFlight(key));
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ProviderPaymentState>> SettleDepositAsync(IdempotencyKey key, IReadOnlyList<ProviderPaymentState> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ProviderPaymentState.CheckSettled(outcomes);
        cancellationToken.ThrowIfCancellationRequested();
        var recorded = new List<ProviderPaymentState>();
        lock (_lock)
        {
            foreach (var outcome in outcomes)
            {
                if (_verified.Remove(outcome.Payment))
                {
                    _settled[outcome.Payment] = outcome;
                    recorded.Add(outcome);
                }
            }

            ClearInFlight(key);
        }

        return ValueTask.FromResult<IReadOnlyList<ProviderPaymentState>>(recorded);
    }

    /// <inheritdoc/>
    public ValueTask<ProviderPaymentState> GetPaymentStateAsync(PaymentId payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var state = _settled.TryGetValue(payment, out var settled) ? settled
                : _verified.ContainsKey(payment) ? new ProviderPaymentState(payment, ProviderPaymentStatus.Verified, null, null)
                : _open.ContainsKey(payment) ? new ProviderPaymentState(payment, ProviderPaymentStatus.Open, null, null)
                : ProviderPaymentState.Unknown(payment);
            return ValueTask.FromResult(state);
        }
    }

    /// <inheritdoc/>
    public ValueTask<SignedNote?> GetCheckpointAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_checkpoint);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryReplaceCheckpointAsync(SignedNote? expected, SignedNote checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!Equals(_checkpoint, expected))
            {
                return ValueTask.FromResult(false);
            }

            _checkpoint = checkpoint;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask AddSplitViewAsync(SplitViewEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_splitViews.Contains(evidence))
            {
                _splitViews.Add(evidence);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<SplitViewEvidence>> ListSplitViewsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<SplitViewEvidence>>([.. _splitViews]);
        }
    }

    private bool ClearInFlight(IdempotencyKey key)
    {
        if (_inFlight is null || DepositRequest.Decode(_inFlight).IdempotencyKey != key)
        {
            return false;
        }

        _inFlight = null;
        return true;
    }
}
