namespace Wallet.Protocol.Wallets;

/// <summary>Holder proofs (docs/PROTOCOL.md section 5.20): the wallet shows a provider that it holds a payment's coins.</summary>
public sealed partial class WorkerWallet
{
    /// <summary>
    /// Proves to the provider of a payment in flight (<see cref="PaymentsInFlight"/>) that this wallet holds its coins:
    /// each coin's key, re-derived from the seed and disposed at once, signs the purpose, the provider, the payment,
    /// the time and a fresh nonce. Send it within <see cref="HolderProof.MaxClockSkew"/>; it is good once.
    /// </summary>
    /// <param name="payment">The payment.</param>
    /// <param name="purpose">What the proof asks the provider for.</param>
    /// <returns>The proof, or null when the wallet keeps no payment in flight under that id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="purpose"/> is unknown.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public HolderProof? ProveHolding(PaymentId payment, HolderProofPurpose purpose = HolderProofPurpose.SpendReceipt)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ThrowIfDisposed();
        AccountId provider;
        CoinId[] coins;
        lock (_state.Lock)
        {
            if (!_state.Payments.TryGetValue(payment, out var record))
            {
                return null;
            }

            (provider, coins) = (record.Request.Provider, record.Coins);
        }

        return ProveHolding(payment, provider, purpose, coins);
    }

    /// <summary>
    /// Proves that this wallet holds <paramref name="coins"/> of <paramref name="payment"/> at <paramref name="provider"/>,
    /// for a flow that knows the coins itself (a refund names the coins it refunds, after the payment closed).
    /// </summary>
    /// <param name="payment">The payment.</param>
    /// <param name="provider">The provider the proof is addressed to.</param>
    /// <param name="purpose">What the proof asks the provider for.</param>
    /// <param name="coins">The coins; every one the wallet holds or held (spent coins keep their keys).</param>
    /// <returns>The proof, or null when a coin is not this wallet's.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="purpose"/> is unknown, or <paramref name="coins"/> is empty, too long or repeats a coin.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public HolderProof? ProveHolding(PaymentId payment, AccountId provider, HolderProofPurpose purpose, IReadOnlyCollection<CoinId> coins)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(coins);
        ThrowIfDisposed();
        var held = new List<WalletCoin>(coins.Count);
        lock (_state.Lock)
        {
            foreach (var id in coins)
            {
                if (id is null || !_state.Coins.TryGetValue(id, out var coin))
                {
                    return null;
                }

                held.Add(coin);
            }
        }

        var secrets = new List<CoinSecrets>(held.Count);
        try
        {
            foreach (var coin in held)
            {
                secrets.Add(_context.DeriveCoin(coin.Coin.Keyset, coin.Counter));
            }

            return HolderProof.Sign(purpose, provider, payment, _context.Now, [.. secrets.Select(s => s.SigningKey)]);
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
