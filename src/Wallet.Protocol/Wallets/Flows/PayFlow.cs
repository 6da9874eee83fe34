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

        if (request.Details is null)
        {
            return Refuse(PaymentPreparationStatus.NoDetails);
        }

        if (now > request.Details.ExpiresAt)
        {
            return Refuse(PaymentPreparationStatus.Expired);
        }

        lock (_state.Lock)
        {
            if (_state.Payments.TryGetValue(request.Id, out var earlier) && earlier.State != WalletPaymentState.Abandoned)
            {
                // In flight: the same coins signed again give the same spends (Ed25519 is deterministic, RFC 8032
                // section 5.1.6), so an app that crashed before sending them loses nothing and pays nothing twice.
                return earlier.State == WalletPaymentState.InFlight
                    ? new PaymentPreparation(PaymentPreparationStatus.Ready, [.. earlier.Coins.Select(id => Sign(_state.Coins[id], request))])
                    : Refuse(PaymentPreparationStatus.AlreadyPaid);
            }

            // Whether a coin may pay this request depends only on its keyset: decided once per keyset. The candidates
            // are read lazily, largest first, so a payment that the first few coins make exactly reads only those.
            var acceptable = new Dictionary<KeysetId, bool>();
            bool Acceptable(WalletCoin c)
            {
                if (!acceptable.TryGetValue(c.Coin.Keyset, out bool ok))
                {
                    var d = _state.DescriptorOf(c);
                    ok = d.IsSpendable(now) && request.OverlapsDay(d.WithdrawFrom, d.SpendUntil) && record.Accepts(d.Fund);
                    acceptable[c.Coin.Keyset] = ok;
                }

                return ok;
            }

            var candidates = _state.Available().Where(c => (only is null || only.Contains(c.Coin.Id)) && Acceptable(c));
            var chosen = CoinSelection.Exact(candidates, request.Amount);
            if (chosen is null)
            {
                // Enough value in acceptable coins, just not an exact subset: a swap (PrepareChange) makes change.
                return new PaymentPreparation(PaymentPreparationStatus.NoExactCoins, [], Amount.Sum(candidates.Select(c => c.Value)) >= request.Amount);
            }

            var spends = new List<CoinSpend>(chosen.Count);
            foreach (var coin in chosen)
            {
                spends.Add(Sign(coin, request));
                _state.MarkSpent(coin.Coin.Id);
            }

            // Recorded in the same lock as the spend, so a saved wallet never holds spent coins without their payment.
            _state.Payments[request.Id] = new PaymentRecord(request, [.. chosen.Select(c => c.Coin.Id).Order()], now);
            return new PaymentPreparation(PaymentPreparationStatus.Ready, spends);
        }
    }

    /// <summary>
    /// Keeps a verified receipt and closes the payment it confirms: the receipt stands for it from now on. A receipt for
    /// a payment whose coins a swap already took back contradicts the scheme's books and is not kept.
    /// </summary>
    public bool AcceptReceipt(SpendReceipt receipt, PaymentRequest request, AccreditationRegistry registry)
    {
        if (!registry.Verify(context.AccreditationKey) || registry.Find(request.Provider) is not { } record || !receipt.Verify(request, record.ReceiptKey))
        {
            return false;
        }

        lock (_state.Lock)
        {
            if (_state.Payments.TryGetValue(request.Id, out var payment))
            {
                if (payment.State == WalletPaymentState.Abandoned)
                {
                    return false;
                }

                // The provider signs only after a verified deposit: a pending abandon swap can only be refused now.
                if (payment.AbandonKey is { } key)
                {
                    _state.DropPendingSwap(key);
                }

                _state.Payments.Remove(request.Id);
            }

            _state.SpendReceipts.Add(receipt);
        }

        return true;
    }

    private CoinSpend Sign(WalletCoin coin, PaymentRequest request)
    {
        using var secrets = context.DeriveCoin(coin.Coin.Keyset, coin.Counter);
        return CoinSpend.Sign(coin.Coin, request, secrets.SigningKey);
    }

    public static PaymentPreparation Refuse(PaymentPreparationStatus status) => new(status, []);
}
