namespace Wallet.Protocol.Providers;

// Refunds of credited payments (docs/PROTOCOL.md 5.17): the provider signs, the coins' holder claims at the scheme.
public sealed partial class AccreditedProvider
{
    /// <summary>
    /// Signs a refund, whole or part, of a payment the scheme credited to this provider, and keeps it
    /// (<see cref="ListRefundsAsync"/>). The refund names the payment's coins and the amount; the wallet that holds the
    /// coins claims it at the scheme. A coin is refunded at most once, so a second refund of one payment names other
    /// coins.
    /// </summary>
    /// <param name="payment">The payment (<see cref="PaymentRequest.Id"/>).</param>
    /// <param name="amount">The value to give back; positive.</param>
    /// <param name="coins">The coins refunded, or null for every coin of the payment not refunded yet.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The refund, or why not.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero.</exception>
    /// <exception cref="ObjectDisposedException">The provider has been disposed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<RefundIssuance> IssueRefundAsync(PaymentId payment, Amount amount, IReadOnlyList<CoinId>? coins = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (amount.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "The amount is positive.");
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var state = await _store.GetPaymentStateAsync(payment, cancellationToken).ConfigureAwait(false);
        var paid = await _store.GetPaymentCoinsAsync(payment, cancellationToken).ConfigureAwait(false);
        if (state.Status != ProviderPaymentStatus.Paid || paid.Count == 0)
        {
            return new(RefundIssuanceStatus.NotPaid, null);
        }

        var earlier = await _store.ListRefundsAsync(payment, cancellationToken).ConfigureAwait(false);
        var refunded = earlier.SelectMany(r => r.Coins).ToHashSet();
        var named = coins?.Distinct().ToList() ?? [.. paid.Where(c => !refunded.Contains(c))];
        if (named.Count == 0 || named.Any(c => !paid.Contains(c)))
        {
            return new(named.Count == 0 ? RefundIssuanceStatus.AlreadyRefunded : RefundIssuanceStatus.UnknownCoin, null);
        }

        if (named.Any(refunded.Contains))
        {
            return new(RefundIssuanceStatus.AlreadyRefunded, null);
        }

        // The scheme bounds the amount by the named coins' value; the provider by what is left of the payment.
        var left = state.Receipt!.Amount.MinorUnits - earlier.Sum(r => r.Amount.MinorUnits);
        if (amount.MinorUnits > left)
        {
            return new(RefundIssuanceStatus.AmountTooLarge, null);
        }

        var refund = ProviderRefund.Sign(RefundId.NewId(), Record.Id, payment, named, amount, _time.GetUtcNow(), _receiptKey);
        await _store.AddRefundAsync(refund, cancellationToken).ConfigureAwait(false);
        return new(RefundIssuanceStatus.Issued, refund);
    }

    /// <summary>Lists the refunds this provider signed for a payment, oldest first (what the payer's wallet claims).</summary>
    /// <param name="payment">The payment.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The refunds; empty when there are none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<IReadOnlyList<ProviderRefund>> ListRefundsAsync(PaymentId payment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return _store.ListRefundsAsync(payment, cancellationToken).AsTask();
    }

    // Before a deposit settles, the coins of each payment it credits are kept for a later refund: a crash before the
    // settlement repeats this (first write wins), so a paid payment always has its coins.
    private async Task KeepRefundableCoinsAsync(DepositRequest request, IReadOnlyList<ProviderPaymentState> settled, CancellationToken cancellationToken)
    {
        foreach (var state in settled.Where(s => s.Status == ProviderPaymentStatus.Paid))
        {
            var coins = request.Spends.Where(s => s.Request.Id == state.Payment).Select(s => s.Coin.Id).Order().ToList();
            await _store.PutPaymentCoinsAsync(state.Payment, coins, cancellationToken).ConfigureAwait(false);
        }
    }
}
