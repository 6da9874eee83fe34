namespace Wallet.Protocol.Providers;

/// <summary>Dues mandates and the requests bound to their periods (docs/PROTOCOL.md 5.19).</summary>
public sealed partial class InMemoryProviderStore
{
    private readonly SortedDictionary<MandateId, DuesMandate> _mandates = [];
    private readonly Dictionary<PaymentId, MandatePeriod> _mandateRequests = [];

    /// <inheritdoc/>
    public ValueTask AddMandateAsync(DuesMandate mandate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _mandates.TryAdd(mandate.Id, mandate);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<DuesMandate?> GetMandateAsync(MandateId mandate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_mandates.GetValueOrDefault(mandate));
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<DuesMandate>> ListMandatesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<DuesMandate>>([.. _mandates.Values]);
        }
    }

    /// <inheritdoc/>
    public ValueTask AddMandateRequestAsync(PaymentRequest request, MandatePeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(period);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var id = request.Id;
            if (!_verified.ContainsKey(id) && !_settled.ContainsKey(id) && _open.TryAdd(id, request))
            {
                _mandateRequests[id] = period;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<uint>> ListPaidPeriodsAsync(MandateId mandate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<uint>>([.. _mandateRequests
                .Where(b => b.Value.Mandate == mandate && _settled.TryGetValue(b.Key, out var s) && s.Status == ProviderPaymentStatus.Paid)
                .Select(b => b.Value.Period)
                .Distinct()
                .Order()]);
        }
    }
}
