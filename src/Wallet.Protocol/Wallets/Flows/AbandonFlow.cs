namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// Abandoning a payment the provider refused or never confirmed, wallet side: exactly its coins are swapped into fresh
/// coins. First spend wins at the scheme, so either the swap is honoured (the value comes back and the provider can no
/// longer deposit the coins) or it is refused as a double spend with proof that the provider deposited them. Never both.
/// </summary>
/// <remarks>docs/PROTOCOL.md sections 5.4 and 5.10.</remarks>
internal sealed class AbandonFlow(WalletContext context, SwapFlow swap)
{
    private readonly WalletState _state = context.State;

    public SwapPreparation Prepare(PaymentId id, IdempotencyKey key, IReadOnlyList<KeysetId> targetKeysets)
    {
        var now = context.Now;
        lock (_state.Lock)
        {
            swap.RequireFreeKey(key);
            var current = DenominationSplit.Targets(_state, targetKeysets, now, nameof(targetKeysets), sameFund: false);
            if (!_state.Payments.TryGetValue(id, out var payment))
            {
                return Refuse(SwapPreparationStatus.UnknownPayment);
            }

            if (payment.State != WalletPaymentState.InFlight)
            {
                return Refuse(SwapPreparationStatus.PaymentNotInFlight);
            }

            var coins = payment.Coins.Select(c => _state.Coins[c]).ToList();
            if (coins.Any(c => !swap.IsSwappable(c, now)))
            {
                return Refuse(SwapPreparationStatus.CoinsNotSwappable);
            }

            // Value is swapped per fund: a training coin only comes back as a training coin.
            var outputs = new List<TrustedKeyset>();
            foreach (var fund in coins.GroupBy(c => _state.DescriptorOf(c).Fund).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var targets = current.Where(t => t.Descriptor.Fund == fund.Key).ToList();
                if (targets.Count == 0)
                {
                    return Refuse(SwapPreparationStatus.NoTargetForFund);
                }

                if (DenominationSplit.Exact(targets, fund.Sum(c => c.Value.MinorUnits)) is not { } split)
                {
                    return Refuse(SwapPreparationStatus.NoExactSplit);
                }

                outputs.AddRange(split);
            }

            // The payment's coins are spent for the wallet, so no other flow selects them; the link to the swap is saved
            // with it (same lock, same wallet file), so a crash before completion reloads both.
            var request = swap.Sign(key, coins, outputs);
            payment.State = WalletPaymentState.Abandoning;
            payment.AbandonKey = key;
            payment.LastRefusal = null;
            return new SwapPreparation(SwapPreparationStatus.Ready, request);
        }
    }

    public PaymentAbandonment Complete(SwapRequest request, SwapResult result)
    {
        var key = request.IdempotencyKey;
        byte[] hash = request.Hash();
        lock (_state.Lock)
        {
            if (_state.PaymentAbandonedBy(key) is not { } payment || !_state.PendingSwaps.TryGetValue(key, out var pending) || !CryptographicOperations.FixedTimeEquals(pending.RequestHash, hash))
            {
                return Answer(PaymentAbandonmentStatus.UnknownRequest);
            }

            switch (result.Status)
            {
                case SwapStatus.Swapped:
                    // Completing the swap marks the payment abandoned (SwapFlow.Complete), in the same lock.
                    return result.Response is null ? Answer(PaymentAbandonmentStatus.BadResponse) : swap.Complete(key, hash, result.Response) switch
                    {
                        SwapCompletion.Completed => Answer(PaymentAbandonmentStatus.Refunded),
                        SwapCompletion.BadSignature => Answer(PaymentAbandonmentStatus.BadSignature),
                        SwapCompletion.UnknownRequest => Answer(PaymentAbandonmentStatus.UnknownRequest),
                        _ => Answer(PaymentAbandonmentStatus.BadResponse),
                    };
                case SwapStatus.SigningKeyUnavailable:
                    return new PaymentAbandonment(PaymentAbandonmentStatus.RetryLater, result.Status);
                case SwapStatus.DoubleSpend when DepositProofs(payment, result.Proofs) is { Count: > 0 } proofs:
                    _state.DropPendingSwap(key);
                    payment.State = WalletPaymentState.Deposited;
                    payment.AbandonKey = null;
                    payment.LastRefusal = SwapStatus.DoubleSpend;
                    payment.Evidence.AddRange(proofs);
                    return Answer(PaymentAbandonmentStatus.Deposited);
                default:
                    // Nothing moved at the scheme: the coins may still be with the provider, so the payment is in flight again.
                    _state.DropPendingSwap(key);
                    payment.State = WalletPaymentState.InFlight;
                    payment.AbandonKey = null;
                    payment.LastRefusal = result.Status;
                    return new PaymentAbandonment(PaymentAbandonmentStatus.Refused, result.Status);
            }
        }
    }

    // The proofs that verify and show one of the payment's coins first spent on this very payment: the provider deposited it.
    private static List<SwapDoubleSpendProof> DepositProofs(PaymentRecord payment, IReadOnlyList<SwapDoubleSpendProof>? proofs) =>
        [.. (proofs ?? []).Where(p => p.FirstPayment is { } first && first.Request.Id == payment.Id && payment.Coins.Contains(p.Swap.Coin.Id) && p.Verify())];

    private static PaymentAbandonment Answer(PaymentAbandonmentStatus status) => new(status, null);

    private static SwapPreparation Refuse(SwapPreparationStatus status) => new(status, null);
}
