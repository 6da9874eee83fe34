namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// Payment, wallet side: check the provider against the signed registry, pick coins that sum exactly, sign each
/// coin's spend over the request, and keep the provider's receipt.
/// </summary>
/// <remarks>DESIGN.md section 3 flow 3.</remarks>
internal sealed class PayFlow(WalletContext context)
{
    private readonly WalletState _state = context.State;

    /// <summary>Prepares the payment, choosing only among <paramref name="only"/> when given (a default allocation's coins).</summary>
    public PaymentPreparation Prepare(PaymentRequest request, AccreditationRegistry registry, IReadOnlySet<CoinId>? only)
    {
        var now = context.Now;
        if (!registry.Verify(context.AccreditationKey))
        {
            return Refuse(PaymentPreparationStatus.InvalidRegistry);
        }

        var record = registry.Find(request.Provider);
        if (record is null || !record.IsValidAt(now))
        {
            return Refuse(PaymentPreparationStatus.ProviderNotAccredited);
        }

        if (!request.Verify(record.ReceiptKey))
        {
            return Refuse(PaymentPreparationStatus.BadRequestSignature);
        }

        if (now > request.ExpiresAt)
        {
            return Refuse(PaymentPreparationStatus.Expired);
        }

        lock (_state.Lock)
        {
            var candidates = _state.Available()
                .Where(c => only is null || only.Contains(c.Coin.Id))
                .Where(c => _state.DescriptorOf(c) is var d && d.IsSpendable(request.IssuedAt) && d.IsSpendable(now) && record.Accepts(d.Fund))
                .OrderByDescending(c => c.Value)
                .ThenBy(c => c.Coin.Id)
                .ToList();
            var chosen = CoinSelection.Exact(candidates, request.Amount);
            if (chosen is null)
            {
                // Enough value in acceptable coins, just not an exact subset: a swap (PrepareChange) makes change.
                return new PaymentPreparation(PaymentPreparationStatus.NoExactCoins, [], Amount.Sum(candidates.Select(c => c.Value)) >= request.Amount);
            }

            var spends = new List<CoinSpend>(chosen.Count);
            foreach (var coin in chosen)
            {
                using var secrets = context.DeriveCoin(coin.Coin.Keyset, coin.Counter);
                spends.Add(CoinSpend.Sign(coin.Coin, request, secrets.SigningKey));
                _state.Spent.Add(coin.Coin.Id);
            }

            return new PaymentPreparation(PaymentPreparationStatus.Ready, spends);
        }
    }

    public bool AcceptReceipt(SpendReceipt receipt, PaymentRequest request, AccreditationRegistry registry)
    {
        if (!registry.Verify(context.AccreditationKey) || registry.Find(request.Provider) is not { } record || !receipt.Verify(request, record.ReceiptKey))
        {
            return false;
        }

        lock (_state.Lock)
        {
            _state.SpendReceipts.Add(receipt);
        }

        return true;
    }

    public static PaymentPreparation Refuse(PaymentPreparationStatus status) => new(status, []);
}
