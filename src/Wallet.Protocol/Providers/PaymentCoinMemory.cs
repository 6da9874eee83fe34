namespace Wallet.Protocol.Providers;

/// <summary>
/// Which coins paid which payment, for the newest <c>capacity</c> payments the provider accepted in this process: what a
/// holder proof is checked against once the store no longer keeps the spends (after settlement). Thread-safe.
/// </summary>
internal sealed class PaymentCoinMemory(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PaymentId, CoinId[]> _coins = [];
    private readonly Queue<PaymentId> _order = new();

    public void Remember(PaymentId payment, IEnumerable<CoinId> coins)
    {
        CoinId[] sorted = [.. coins.Order()];
        lock (_gate)
        {
            // A payment's coins never change once accepted: the first answer stands.
            if (!_coins.TryAdd(payment, sorted))
            {
                return;
            }

            _order.Enqueue(payment);
            while (_order.Count > capacity)
            {
                _coins.Remove(_order.Dequeue());
            }
        }
    }

    public CoinId[]? Find(PaymentId payment)
    {
        lock (_gate)
        {
            return _coins.GetValueOrDefault(payment);
        }
    }
}
