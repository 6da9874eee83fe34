namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// Swaps, wallet side: exact change for a payment and rollover into current keysets. The input coins stay reserved
/// while the swap is pending; the new coins come from the seed, so a restore finds them.
/// </summary>
/// <remarks>DESIGN.md section 3; docs/PROTOCOL.md "Swap".</remarks>
internal sealed class SwapFlow(WalletContext context)
{
    private readonly WalletState _state = context.State;

    public SwapRequest? PrepareChange(IdempotencyKey key, Amount amount, IReadOnlyList<KeysetId> targetKeysets)
    {
        var now = context.Now;
        lock (_state.Lock)
        {
            RequireFreeKey(key);
            var targets = DenominationSplit.Targets(_state, targetKeysets, now, nameof(targetKeysets));
            string fund = targets[0].Descriptor.Fund;
            var inputs = new List<WalletCoin>();
            long sum = 0;
            foreach (var coin in Spendable(now).Where(c => _state.DescriptorOf(c).Fund == fund).OrderByDescending(c => c.Value).ThenBy(c => c.Coin.Id))
            {
                if (sum >= amount.MinorUnits)
                {
                    break;
                }

                inputs.Add(coin);
                sum += coin.Value.MinorUnits;
            }

            if (sum < amount.MinorUnits || DenominationSplit.Exact(targets, amount.MinorUnits) is not { } pay || DenominationSplit.Exact(targets, sum - amount.MinorUnits) is not { } rest)
            {
                return null;
            }

            return Sign(key, inputs, [.. pay, .. rest]);
        }
    }

    public SwapRequest? PrepareRollover(IdempotencyKey key, IReadOnlyList<KeysetId> currentKeysets)
    {
        var now = context.Now;
        lock (_state.Lock)
        {
            RequireFreeKey(key);
            var current = DenominationSplit.Targets(_state, currentKeysets, now, nameof(currentKeysets), sameFund: false);
            var currentIds = current.Select(c => c.Descriptor.Id).ToHashSet();
            var inputs = new List<WalletCoin>();
            var outputs = new List<TrustedKeyset>();
            foreach (var fund in Spendable(now).Where(c => !currentIds.Contains(c.Coin.Keyset)).GroupBy(c => _state.DescriptorOf(c).Fund).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var targets = current.Where(c => c.Descriptor.Fund == fund.Key).ToList();
                long total = fund.Sum(c => c.Value.MinorUnits);
                if (targets.Count > 0 && DenominationSplit.Exact(targets, total) is { } split)
                {
                    inputs.AddRange(fund.OrderBy(c => c.Coin.Id));
                    outputs.AddRange(split);
                }
            }

            return inputs.Count == 0 ? null : Sign(key, inputs, outputs);
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
            _state.Spent.UnionWith(pending.Inputs);
            _state.PendingSwaps.Remove(key);
            return SwapCompletion.Completed;
        }
    }

    public bool Abandon(IdempotencyKey key)
    {
        lock (_state.Lock)
        {
            return _state.PendingSwaps.Remove(key);
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

    // Unspent, unreserved coins whose keyset is spendable and depositable now (what the scheme accepts as swap input).
    private List<WalletCoin> Spendable(DateTimeOffset now) =>
        [.. _state.Available().Where(c => _state.DescriptorOf(c) is var d && d.IsSpendable(now) && d.IsDepositable(now))];

    private SwapRequest Sign(IdempotencyKey key, List<WalletCoin> inputs, List<TrustedKeyset> outputKeysets)
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
}
