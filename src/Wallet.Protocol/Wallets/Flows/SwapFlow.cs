namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// Swaps, wallet side: exact change for a payment and rollover into current keysets. The input coins stay reserved
/// while the swap is pending; the new coins come from the seed, so a restore finds them.
/// </summary>
/// <remarks>DESIGN.md section 3; docs/PROTOCOL.md "Swap".</remarks>
internal sealed class SwapFlow(WalletContext context)
{
    private readonly WalletState _state = context.State;

    public SwapPreparation PrepareChange(IdempotencyKey key, Amount amount, IReadOnlyList<KeysetId> targetKeysets)
    {
        var now = context.Now;
        lock (_state.Lock)
        {
            RequireFreeKey(key);
            var targets = DenominationSplit.Targets(_state, targetKeysets, now, nameof(targetKeysets));
            string fund = targets[0].Descriptor.Fund;
            var inputs = new List<WalletCoin>();
            long sum = 0;
            // Largest first, read only until the amount is covered; a coin's eligibility depends on its keyset alone.
            var eligible = new Dictionary<KeysetId, bool>();
            foreach (var coin in _state.Available())
            {
                if (sum >= amount.MinorUnits)
                {
                    break;
                }

                if (!eligible.TryGetValue(coin.Coin.Keyset, out bool ok))
                {
                    ok = IsSwappable(coin, now) && _state.DescriptorOf(coin).Fund == fund;
                    eligible[coin.Coin.Keyset] = ok;
                }

                if (!ok)
                {
                    continue;
                }

                inputs.Add(coin);
                sum += coin.Value.MinorUnits;
            }

            if (sum < amount.MinorUnits)
            {
                return Refuse(SwapPreparationStatus.InsufficientCoins);
            }

            if (DenominationSplit.Exact(targets, amount.MinorUnits) is not { } pay || DenominationSplit.Exact(targets, sum - amount.MinorUnits) is not { } rest)
            {
                return Refuse(SwapPreparationStatus.NoExactSplit);
            }

            return Ready(Sign(key, inputs, [.. pay, .. rest]));
        }
    }

    public SwapPreparation PrepareChangeAhead(IdempotencyKey key, IReadOnlyList<KeysetId> targetKeysets, Amount reserve)
    {
        var now = context.Now;
        lock (_state.Lock)
        {
            RequireFreeKey(key);
            var targets = DenominationSplit.Targets(_state, targetKeysets, now, nameof(targetKeysets));
            string fund = targets[0].Descriptor.Fund;
            long largest = targets.Max(t => t.Descriptor.Denomination.MinorUnits);
            var small = targets.Where(t => t.Descriptor.Denomination.MinorUnits < largest).ToList();
            var coins = Spendable(now).Where(c => _state.DescriptorOf(c).Fund == fund).ToList();
            long held = coins.Where(c => c.Value.MinorUnits < largest).Sum(c => c.Value.MinorUnits);
            if (small.Count == 0 || held >= reserve.MinorUnits)
            {
                return Refuse(SwapPreparationStatus.ChangeNotNeeded);
            }

            // Break the fewest large coins into small denominations worth the shortfall (rounded up to the smallest denomination).
            long unit = small.Min(t => t.Descriptor.Denomination.MinorUnits);
            long need = (reserve.MinorUnits - held + unit - 1) / unit * unit;
            var inputs = new List<WalletCoin>();
            long sum = 0;
            foreach (var coin in coins.Where(c => c.Value.MinorUnits >= largest).OrderBy(c => c.Coin.Id))
            {
                if (sum >= need)
                {
                    break;
                }

                inputs.Add(coin);
                sum += coin.Value.MinorUnits;
            }

            if (inputs.Count == 0)
            {
                return Refuse(SwapPreparationStatus.InsufficientCoins);
            }

            need = Math.Min(need, sum / unit * unit);
            if (DenominationSplit.Exact(small, need) is not { } change || DenominationSplit.Exact(targets, sum - need) is not { } rest)
            {
                return Refuse(SwapPreparationStatus.NoExactSplit);
            }

            return Ready(Sign(key, inputs, [.. change, .. rest]));
        }
    }

    public SwapPreparation PrepareRollover(IdempotencyKey key, IReadOnlyList<KeysetId> currentKeysets)
    {
        var now = context.Now;
        lock (_state.Lock)
        {
            RequireFreeKey(key);
            var current = DenominationSplit.Targets(_state, currentKeysets, now, nameof(currentKeysets), sameFund: false);
            var currentIds = current.Select(c => c.Descriptor.Id).ToHashSet();
            var inputs = new List<WalletCoin>();
            var outputs = new List<TrustedKeyset>();
            bool anyOld = false;
            foreach (var fund in Spendable(now).Where(c => !currentIds.Contains(c.Coin.Keyset)).GroupBy(c => _state.DescriptorOf(c).Fund).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                anyOld = true;
                var targets = current.Where(c => c.Descriptor.Fund == fund.Key).ToList();
                long total = fund.Sum(c => c.Value.MinorUnits);
                if (targets.Count > 0 && DenominationSplit.Exact(targets, total) is { } split)
                {
                    inputs.AddRange(fund.OrderBy(c => c.Coin.Id));
                    outputs.AddRange(split);
                }
            }

            return inputs.Count > 0 ? Ready(Sign(key, inputs, outputs))
                : Refuse(anyOld ? SwapPreparationStatus.NoExactSplit : SwapPreparationStatus.NothingToRollOver);
        }
    }

    /// <summary>Keeps the new coins of a completed swap or recovery and spends its inputs; nothing changes unless every check passes.</summary>
    public SwapCompletion Complete(IdempotencyKey key, byte[] requestHash, SwapResponse response)
    {
        lock (_state.Lock)
        {
            if (!_state.PendingSwaps.TryGetValue(key, out var pending) || !CryptographicOperations.FixedTimeEquals(pending.RequestHash, requestHash))
            {
                return SwapCompletion.UnknownRequest;
            }

            if (!response.Verify(requestHash, context.SchemeKey) || response.BlindSignatures.Length != pending.Outputs.Length)
            {
                return SwapCompletion.BadResponse;
            }

            if (context.UnblindAll(pending.Outputs, response.BlindSignatures) is not { } coins)
            {
                return SwapCompletion.BadSignature;
            }

            _state.AddCoins(coins);
            _state.MarkSpent(pending.Inputs);
            _state.DropPendingSwap(key);
            if (_state.PaymentAbandonedBy(key) is { } payment)
            {
                // Same lock as the new coins: the refund and the payment's state change are saved together.
                payment.State = WalletPaymentState.Abandoned;
                payment.AbandonKey = null;
                payment.LastRefusal = null;
            }

            return SwapCompletion.Completed;
        }
    }

    public bool Abandon(IdempotencyKey key)
    {
        lock (_state.Lock)
        {
            if (_state.PaymentAbandonedBy(key) is { } payment)
            {
                // The coins stay spent for the wallet: the payment is simply in flight again.
                payment.State = WalletPaymentState.InFlight;
                payment.AbandonKey = null;
            }

            return _state.DropPendingSwap(key);
        }
    }

    /// <summary>Refuses a key already used by a pending swap or recovery. Call under the state lock.</summary>
    /// <exception cref="ArgumentException">The key is pending.</exception>
    public void RequireFreeKey(IdempotencyKey key)
    {
        if (_state.PendingSwaps.ContainsKey(key))
        {
            throw new ArgumentException("A swap with this key is pending.", nameof(key));
        }
    }

    /// <summary>Whether the scheme accepts <paramref name="coin"/> as a swap input now: its keyset is spendable and depositable.</summary>
    public bool IsSwappable(WalletCoin coin, DateTimeOffset now) => _state.DescriptorOf(coin) is var d && d.IsSpendable(now) && d.IsDepositable(now);

    /// <summary>Signs a swap of <paramref name="inputs"/> into new coins of <paramref name="outputKeysets"/> and keeps it pending. Call under the state lock.</summary>
    public SwapRequest Sign(IdempotencyKey key, List<WalletCoin> inputs, List<TrustedKeyset> outputKeysets)
    {
        var secrets = new List<CoinSecrets>(inputs.Count);
        try
        {
            foreach (var coin in inputs)
            {
                secrets.Add(context.DeriveCoin(coin.Coin.Keyset, coin.Counter));
            }

            var (outputs, slots) = context.BlindOutputs(outputKeysets);
            var request = SwapRequest.Sign(key, [.. inputs.Select(c => c.Coin)], outputs, [.. secrets.Select(s => s.SigningKey)]);
            _state.PendingSwaps[key] = new PendingSwap(request.Hash(), [.. inputs.Select(c => c.Coin.Id)], slots, request);
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

    private static SwapPreparation Ready(SwapRequest request) => new(SwapPreparationStatus.Ready, request);

    private static SwapPreparation Refuse(SwapPreparationStatus status) => new(status, null);

    // Unspent, unreserved coins whose keyset is spendable and depositable now (what the scheme accepts as swap input).
    private List<WalletCoin> Spendable(DateTimeOffset now) => [.. _state.Available().Where(c => IsSwappable(c, now))];
}
