using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Recovery;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Wallets;

/// <summary>Swaps (exact change, rollover) and recovery after revocation, wallet side.</summary>
public sealed partial class WorkerWallet
{
    private readonly Dictionary<IdempotencyKey, PendingSwap> _pendingSwaps = [];

    /// <summary>The coins held back by swaps or recoveries that have not completed: not spendable until then.</summary>
    public IReadOnlyList<CoinId> ReservedCoins
    {
        get
        {
            lock (_lock)
            {
                return [.. _pendingSwaps.Values.SelectMany(p => p.Inputs).Order()];
            }
        }
    }

    /// <summary>
    /// Prepares exact change for a payment of <paramref name="amount"/>: spends unreserved coins of the target
    /// keysets' fund worth at least the amount and asks for new coins of the target keysets that split into exactly
    /// the amount plus the remainder. After <see cref="CompleteSwap"/>, <see cref="PreparePayment"/> finds exact coins.
    /// The input coins are reserved until then; the new coins come from the seed, so a restore finds them.
    /// </summary>
    /// <param name="key">
    /// The idempotency key. Swaps carry no account, so use a fresh random key (a key that names the worker would undo
    /// the anonymity); resend the same request with it after a lost response.
    /// </param>
    /// <param name="amount">The payment amount.</param>
    /// <param name="targetKeysets">Trusted keysets of one fund, withdrawable now, to make the new coins in.</param>
    /// <returns>The signed swap, or null when the coins of that fund do not reach the amount or the denominations cannot split it.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The key is pending, or a keyset is untrusted, not withdrawable now, or of another fund.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public SwapRequest? PrepareChange(IdempotencyKey key, Amount amount, IReadOnlyList<KeysetId> targetKeysets)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(targetKeysets);
        if (amount.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "The amount is positive.");
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            RequireFreeKey(key);
            var targets = Targets(targetKeysets, now, nameof(targetKeysets));
            string fund = targets[0].Descriptor.Fund;
            var inputs = new List<WalletCoin>();
            long sum = 0;
            foreach (var coin in Spendable(now).Where(c => _keysets[c.Coin.Keyset].Descriptor.Fund == fund).OrderByDescending(c => c.Value).ThenBy(c => c.Coin.Id))
            {
                if (sum >= amount.MinorUnits)
                {
                    break;
                }

                inputs.Add(coin);
                sum += coin.Value.MinorUnits;
            }

            if (sum < amount.MinorUnits || Split(targets, amount.MinorUnits) is not { } pay || Split(targets, sum - amount.MinorUnits) is not { } rest)
            {
                return null;
            }

            return SignSwap(key, inputs, [.. pay, .. rest]);
        }
    }

    /// <summary>
    /// Prepares a rollover: every unreserved coin that is still spendable but whose keyset is not among
    /// <paramref name="currentKeysets"/> is swapped, per fund, into the current keysets of the same fund.
    /// </summary>
    /// <param name="key">The idempotency key (fresh and random, as for <see cref="PrepareChange"/>).</param>
    /// <param name="currentKeysets">Trusted keysets withdrawable now (any funds).</param>
    /// <returns>The signed swap, or null when there is nothing to roll over (or no fund's total splits exactly).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key is pending, or a keyset is untrusted or not withdrawable now.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public SwapRequest? PrepareRollover(IdempotencyKey key, IReadOnlyList<KeysetId> currentKeysets)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(currentKeysets);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            RequireFreeKey(key);
            var current = Targets(currentKeysets, now, nameof(currentKeysets), sameFund: false);
            var currentIds = current.Select(c => c.Descriptor.Id).ToHashSet();
            var inputs = new List<WalletCoin>();
            var outputs = new List<TrustedKeyset>();
            foreach (var fund in Spendable(now).Where(c => !currentIds.Contains(c.Coin.Keyset)).GroupBy(c => _keysets[c.Coin.Keyset].Descriptor.Fund).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var targets = current.Where(c => c.Descriptor.Fund == fund.Key).ToList();
                long total = fund.Sum(c => c.Value.MinorUnits);
                if (targets.Count > 0 && Split(targets, total) is { } split)
                {
                    inputs.AddRange(fund.OrderBy(c => c.Coin.Id));
                    outputs.AddRange(split);
                }
            }

            return inputs.Count == 0 ? null : SignSwap(key, inputs, outputs);
        }
    }

    /// <summary>Keeps the new coins of a completed swap (each unblinded and verified, RFC 9474 section 4.4) and spends its inputs.</summary>
    /// <param name="request">The swap that was sent.</param>
    /// <param name="response">The scheme's response.</param>
    /// <returns>The outcome; nothing changes unless it is <see cref="SwapCompletion.Completed"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public SwapCompletion CompleteSwap(SwapRequest request, SwapResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Complete(request.IdempotencyKey, request.Hash(), response);
    }

    /// <summary>
    /// Prepares the recovery of every unreserved, unspent coin of a revoked keyset: each coin with its salt and
    /// blinding factor disclosed, and new coins of <paramref name="replacementKeysets"/> of the same total. Disclosing
    /// the blinding links each coin to its withdrawal; that costs nothing for coins never spent.
    /// </summary>
    /// <param name="key">The idempotency key (scoped to the account).</param>
    /// <param name="revokedKeyset">The revoked keyset.</param>
    /// <param name="replacementKeysets">Trusted keysets of the same fund, withdrawable now.</param>
    /// <returns>The account-signed request, or null when no coin of the keyset is held or the total cannot be split.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key is pending, a keyset is untrusted, not withdrawable now, or of another fund.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public RecoveryRequest? PrepareRecovery(IdempotencyKey key, KeysetId revokedKeyset, IReadOnlyList<KeysetId> replacementKeysets)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(revokedKeyset);
        ArgumentNullException.ThrowIfNull(replacementKeysets);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var revoked = Trusted(revokedKeyset);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            RequireFreeKey(key);
            var targets = Targets(replacementKeysets, now, nameof(replacementKeysets));
            if (targets[0].Descriptor.Fund != revoked.Descriptor.Fund)
            {
                throw new ArgumentException("Replacement keysets must be of the revoked keyset's fund.", nameof(replacementKeysets));
            }

            var reserved = ReservedSet();
            var coins = _coins.Values.Where(c => c.Coin.Keyset == revokedKeyset && !_spent.Contains(c.Coin.Id) && !reserved.Contains(c.Coin.Id)).OrderBy(c => c.Coin.Id).ToList();
            if (coins.Count == 0 || Split(targets, coins.Sum(c => c.Value.MinorUnits)) is not { } split)
            {
                return null;
            }

            var items = coins.Select(c => Disclose(revoked, c)).ToList();
            var (outputs, slots) = BlindOutputs(split);
            var request = RecoveryRequest.Sign(Account, key, items, outputs, now, _accountKey);
            _pendingSwaps[key] = new PendingSwap(request.Hash(), [.. coins.Select(c => c.Coin.Id)], slots, request);
            return request;
        }
    }

    /// <summary>Keeps the replacement coins of a completed recovery and drops the recovered coins.</summary>
    /// <param name="request">The recovery that was sent.</param>
    /// <param name="response">The scheme's response.</param>
    /// <returns>The outcome; nothing changes unless it is <see cref="SwapCompletion.Completed"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public SwapCompletion CompleteRecovery(RecoveryRequest request, SwapResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Complete(request.IdempotencyKey, request.Hash(), response);
    }

    /// <summary>
    /// Gives up a pending swap or recovery that the scheme refused, releasing its coins. Do not call it while the
    /// outcome is unknown (a lost response): retry the same request instead, or the coins could be spent twice.
    /// </summary>
    /// <param name="key">The idempotency key.</param>
    /// <returns>Whether a pending swap was dropped.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool AbandonSwap(IdempotencyKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            return _pendingSwaps.Remove(key);
        }
    }

    private SwapCompletion Complete(IdempotencyKey key, byte[] requestHash, SwapResponse response)
    {
        lock (_lock)
        {
            if (!_pendingSwaps.TryGetValue(key, out var pending) || !CryptographicOperations.FixedTimeEquals(pending.RequestHash, requestHash))
            {
                return SwapCompletion.UnknownRequest;
            }

            if (!response.Verify(requestHash, _schemeKey) || response.BlindSignatures.Length != pending.Outputs.Length)
            {
                return SwapCompletion.BadResponse;
            }

            var coins = new List<WalletCoin>(pending.Outputs.Length);
            for (int i = 0; i < pending.Outputs.Length; i++)
            {
                var (keyset, counter) = pending.Outputs[i];
                if (Unblind(_keysets[keyset], counter, response.BlindSignatures[i]) is not { } coin)
                {
                    return SwapCompletion.BadSignature;
                }

                coins.Add(coin);
            }

            foreach (var coin in coins)
            {
                _coins[coin.Coin.Id] = coin;
            }

            _spent.UnionWith(pending.Inputs);
            _pendingSwaps.Remove(key);
            return SwapCompletion.Completed;
        }
    }

    private SwapRequest SignSwap(IdempotencyKey key, List<WalletCoin> inputs, List<TrustedKeyset> outputKeysets)
    {
        var secrets = new List<Crypto.Seeds.CoinSecrets>(inputs.Count);
        try
        {
            foreach (var coin in inputs)
            {
                secrets.Add(_seed.DeriveCoin(coin.Coin.Keyset.Bytes, coin.Counter));
            }

            var (outputs, slots) = BlindOutputs(outputKeysets);
            var request = SwapRequest.Sign(key, [.. inputs.Select(c => c.Coin)], outputs, [.. secrets.Select(s => s.SigningKey)]);
            _pendingSwaps[key] = new PendingSwap(request.Hash(), [.. inputs.Select(c => c.Coin.Id)], slots, request);
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

    private (List<WithdrawalItem> Items, (KeysetId Keyset, ulong Counter)[] Slots) BlindOutputs(IReadOnlyList<TrustedKeyset> keysets)
    {
        var items = new List<WithdrawalItem>(keysets.Count);
        var slots = new (KeysetId, ulong)[keysets.Count];
        for (int i = 0; i < slots.Length; i++)
        {
            ulong counter = keysets[i].NextCounter++;
            slots[i] = (keysets[i].Descriptor.Id, counter);
            using var state = Blind(keysets[i], counter, out _);
            items.Add(new WithdrawalItem(keysets[i].Descriptor.Id, state.BlindedMessage));
        }

        return (items, slots);
    }

    private RecoveryItem Disclose(TrustedKeyset keyset, WalletCoin coin)
    {
        using var secrets = _seed.DeriveCoin(keyset.Descriptor.Id.Bytes, coin.Counter);
        using var state = keyset.Client.PrepareAndBlind(Coin.BuildMessage(keyset.Descriptor.Id, coin.Coin.Id), secrets, keyset.Metadata);
        byte[] r = BlindingDisclosure.ExportBlindingFactor(state);
        try
        {
            return new RecoveryItem(coin.Coin, secrets.PssSalt[..keyset.Descriptor.Algorithm.SaltLength], r);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(r);
        }
    }

    private void RequireFreeKey(IdempotencyKey key)
    {
        if (_pendingSwaps.ContainsKey(key))
        {
            throw new ArgumentException("A swap with this key is pending.", nameof(key));
        }
    }

    private HashSet<CoinId> ReservedSet() => [.. _pendingSwaps.Values.SelectMany(p => p.Inputs)];

    // Unspent, unreserved coins whose keyset is spendable and depositable now (what the scheme accepts as swap input).
    private List<WalletCoin> Spendable(DateTimeOffset now)
    {
        var reserved = ReservedSet();
        return [.. _coins.Values.Where(c => !_spent.Contains(c.Coin.Id) && !reserved.Contains(c.Coin.Id)
            && _keysets[c.Coin.Keyset].Descriptor is var d && d.IsSpendable(now) && d.IsDepositable(now))];
    }

    private List<TrustedKeyset> Targets(IReadOnlyList<KeysetId> ids, DateTimeOffset now, string parameter, bool sameFund = true)
    {
        if (ids.Count == 0)
        {
            throw new ArgumentException("At least one keyset.", parameter);
        }

        var targets = new List<TrustedKeyset>(ids.Count);
        foreach (var id in ids)
        {
            if (id is null || !_keysets.TryGetValue(id, out var trusted) || !trusted.Descriptor.IsWithdrawable(now))
            {
                throw new ArgumentException("A keyset is not trusted or not withdrawable now.", parameter);
            }

            targets.Add(trusted);
        }

        if (sameFund && targets.Any(t => t.Descriptor.Fund != targets[0].Descriptor.Fund))
        {
            throw new ArgumentException("The keysets are of different funds.", parameter);
        }

        return targets;
    }

    // Greedy over the denominations, largest first (one keyset per denomination: the one withdrawable longest).
    private static List<TrustedKeyset>? Split(IReadOnlyList<TrustedKeyset> keysets, long value)
    {
        var split = new List<TrustedKeyset>();
        foreach (var keyset in keysets.GroupBy(k => k.Descriptor.Denomination.MinorUnits).Select(g => g.OrderBy(k => k.Descriptor.WithdrawUntil).ThenBy(k => k.Descriptor.Id).Last()).OrderByDescending(k => k.Descriptor.Denomination.MinorUnits))
        {
            for (; value >= keyset.Descriptor.Denomination.MinorUnits; value -= keyset.Descriptor.Denomination.MinorUnits)
            {
                split.Add(keyset);
                if (split.Count > SwapRequest.MaxItems)
                {
                    return null;
                }
            }
        }

        return value == 0 ? split : null;
    }

    // Request is the SwapRequest or RecoveryRequest itself, kept so the wallet file can carry it (docs/PROTOCOL.md section 8.1).
    private sealed record PendingSwap(byte[] RequestHash, CoinId[] Inputs, (KeysetId Keyset, ulong Counter)[] Outputs, object Request);
}
