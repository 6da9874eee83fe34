namespace Wallet.Protocol.Providers;

// The coins of credited payments and the refunds signed for them (docs/PROTOCOL.md 5.17), kept encoded.
public sealed partial class InMemoryProviderStore
{
    private readonly Lock _refundLock = new();
    private readonly Dictionary<PaymentId, CoinId[]> _paymentCoins = [];
    private readonly Dictionary<RefundId, PaymentId> _refundIds = [];
    private readonly Dictionary<PaymentId, List<byte[]>> _refunds = [];

    /// <inheritdoc/>
    public ValueTask PutPaymentCoinsAsync(PaymentId payment, IReadOnlyList<CoinId> coins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(coins);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_refundLock)
        {
            _paymentCoins.TryAdd(payment, [.. coins.Order()]);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<CoinId>> GetPaymentCoinsAsync(PaymentId payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_refundLock)
        {
            return ValueTask.FromResult<IReadOnlyList<CoinId>>(_paymentCoins.TryGetValue(payment, out var coins) ? [.. coins] : []);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> AddRefundAsync(ProviderRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_refundLock)
        {
            if (!_refundIds.TryAdd(refund.Id, refund.Payment))
            {
                return ValueTask.FromResult(false);
            }

            if (!_refunds.TryGetValue(refund.Payment, out var list))
            {
                _refunds[refund.Payment] = list = [];
            }

            list.Add(refund.Encode());
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ProviderRefund>> ListRefundsAsync(PaymentId payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_refundLock)
        {
            return ValueTask.FromResult<IReadOnlyList<ProviderRefund>>(_refunds.TryGetValue(payment, out var list) ? [.. list.Select(b => ProviderRefund.Decode(b))] : []);
        }
    }
}
