namespace Wallet.Protocol.Deposits;

/// <summary>One payment of a deposit batch: the spends against one payment request, by their batch indexes.</summary>
/// <param name="Id">The payment (its request's hash).</param>
/// <param name="Request">The payment request.</param>
/// <param name="Indexes">The spends' indexes in the batch, in coin-id order.</param>
internal sealed record DepositPayment(PaymentId Id, PaymentRequest Request, ImmutableArray<int> Indexes)
{
    /// <summary>
    /// Groups a batch's spends by payment in canonical order: payments by <see cref="PaymentId"/>, each payment's spends
    /// by coin id. Whatever order the provider sent, the scheme judges, stores and answers in this order, so nothing it
    /// keeps follows the order in which workers paid (docs/PROTOCOL.md section 5.5).
    /// </summary>
    public static IReadOnlyList<DepositPayment> Group(DepositRequest request)
    {
        var order = new List<PaymentId>();
        var groups = new Dictionary<PaymentId, (PaymentRequest Request, ImmutableArray<int>.Builder Indexes)>();
        for (int i = 0; i < request.Spends.Length; i++)
        {
            var paymentRequest = request.Spends[i].Request;
            if (!groups.TryGetValue(paymentRequest.Id, out var group))
            {
                group = (paymentRequest, ImmutableArray.CreateBuilder<int>());
                groups.Add(paymentRequest.Id, group);
                order.Add(paymentRequest.Id);
            }

            group.Indexes.Add(i);
        }

        return [.. order.Order().Select(id => new DepositPayment(id, groups[id].Request, [.. groups[id].Indexes.OrderBy(i => request.Spends[i].Coin.Id)]))];
    }

    /// <summary>The payment's spends.</summary>
    public IEnumerable<CoinSpend> Spends(DepositRequest request) => Indexes.Select(i => request.Spends[i]);
}
