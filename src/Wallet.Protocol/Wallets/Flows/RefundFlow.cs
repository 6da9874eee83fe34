namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// Refund claims, wallet side (docs/PROTOCOL.md 5.17): a provider's refund of one of this wallet's payments becomes a
/// claim signed by the refunded coins' keys (re-derived from the seed), asking for new coins of the same fund. The
/// claim is pending, like a swap without inputs, until the scheme's answer turns it into coins; the wallet file keeps it.
/// </summary>
internal sealed class RefundFlow(WalletContext context, SwapFlow swap)
{
    private readonly WalletState _state = context.State;

    public RefundClaimPreparation Prepare(ProviderRefund refund, IdempotencyKey key)
    {
        var now = context.Now;
        lock (_state.Lock)
        {
            swap.RequireFreeKey(key);
            if (_state.PendingSwaps.Values.Any(p => p.Request is RefundClaimRequest r && r.Refund.Id == refund.Id))
            {
                return new(RefundClaimPreparationStatus.AlreadyPending, null);
            }

            var coins = new List<WalletCoin>(refund.Coins.Length);
            foreach (var id in refund.Coins)
            {
                // Only coins this wallet paid with: held, and spent since.
                if (!_state.Coins.TryGetValue(id, out var coin) || !_state.Spent.Contains(id))
                {
                    return new(RefundClaimPreparationStatus.NotOurPayment, null);
                }

                coins.Add(coin);
            }

            if (!IsOurPayment(refund))
            {
                return new(RefundClaimPreparationStatus.NotOurPayment, null);
            }

            string fund = _state.DescriptorOf(coins[0]).Fund;
            var targets = _state.Keysets.Values.Where(k => k.Descriptor.Fund == fund && k.Descriptor.IsWithdrawable(now)).ToList();
            if (targets.Count == 0)
            {
                return new(RefundClaimPreparationStatus.NoKeyset, null);
            }

            if (DenominationSplit.Exact(targets, refund.Amount.MinorUnits) is not { } split)
            {
                return new(RefundClaimPreparationStatus.NoExactSplit, null);
            }

            return new(RefundClaimPreparationStatus.Ready, Sign(key, refund, coins, split));
        }
    }

    /// <summary>Keeps the new coins of an honoured claim; nothing changes unless every check passes.</summary>
    public SwapCompletion Complete(RefundClaimRequest request, RefundClaimResponse response)
    {
        byte[] hash = request.Hash();
        lock (_state.Lock)
        {
            if (!_state.PendingSwaps.TryGetValue(request.IdempotencyKey, out var pending) || pending.Request is not RefundClaimRequest
                || !CryptographicOperations.FixedTimeEquals(pending.RequestHash, hash))
            {
                return SwapCompletion.UnknownRequest;
            }

            if (!response.Verify(hash, context.SchemeKey) || response.BlindSignatures.Length != pending.Outputs.Length)
            {
                return SwapCompletion.BadResponse;
            }

            if (context.UnblindAll(pending.Outputs, response.BlindSignatures) is not { } coins)
            {
                return SwapCompletion.BadSignature;
            }

            _state.AddCoins(coins);
            _state.DropPendingSwap(request.IdempotencyKey);
            return SwapCompletion.Completed;
        }
    }

    // A payment of this wallet to the refunding provider: still in flight (its record names the coins), or confirmed
    // by the provider's spend receipt.
    private bool IsOurPayment(ProviderRefund refund)
    {
        if (_state.Payments.TryGetValue(refund.Payment, out var record))
        {
            return record.Request.Provider == refund.Provider && refund.Coins.All(c => record.Coins.Contains(c));
        }

        return _state.SpendReceipts.Any(r => r.Provider == refund.Provider && r.RequestHash.SequenceEqual(refund.Payment.Bytes));
    }

    private RefundClaimRequest Sign(IdempotencyKey key, ProviderRefund refund, List<WalletCoin> coins, List<TrustedKeyset> outputKeysets)
    {
        var secrets = new List<CoinSecrets>(coins.Count);
        try
        {
            foreach (var coin in coins)
            {
                secrets.Add(context.DeriveCoin(coin.Coin.Keyset, coin.Counter));
            }

            var (outputs, slots) = context.BlindOutputs(outputKeysets);
            var request = RefundClaimRequest.Sign(key, refund, outputs, [.. secrets.Select(s => s.SigningKey)]);
            // No inputs to reserve: the refunded coins are spent already.
            _state.PendingSwaps[key] = new PendingSwap(request.Hash(), [], slots, request);
            return request;
        }
        finally
        {
            foreach (var s in secrets)
            {
                s.Dispose();
            }
        }
    }
}
