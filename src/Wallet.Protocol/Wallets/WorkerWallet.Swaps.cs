namespace Wallet.Protocol.Wallets;

/// <summary>Swaps (exact change, rollover) and recovery after revocation, wallet side.</summary>
public sealed partial class WorkerWallet
{
    /// <summary>The coins held back by swaps or recoveries that have not completed: not spendable until then.</summary>
    public IReadOnlyList<CoinId> ReservedCoins => Read<IReadOnlyList<CoinId>>(s => [.. s.PendingSwaps.Values.SelectMany(p => p.Inputs).Order()]);

    /// <summary>
    /// Swaps prepared but not completed or abandoned; their input coins stay reserved. After a crash or a lost response,
    /// send the same request again: the scheme replays its stored response and <see cref="CompleteSwap"/> finishes it.
    /// </summary>
    public IReadOnlyList<SwapRequest> PendingSwaps => Read(Pending<SwapRequest>);

    /// <summary>
    /// Recoveries prepared but not completed or abandoned; their input coins stay reserved. After a crash or a lost
    /// response, send the same request again and finish it with <see cref="CompleteRecovery"/>.
    /// </summary>
    public IReadOnlyList<RecoveryRequest> PendingRecoveries => Read(Pending<RecoveryRequest>);

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
    /// <returns>The signed swap, or why not: <see cref="SwapPreparationStatus.InsufficientCoins"/> when the free coins of that fund do not reach the amount, <see cref="SwapPreparationStatus.NoExactSplit"/> when the denominations cannot split it.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The key is pending, or a keyset is untrusted, not withdrawable now, or of another fund.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public SwapPreparation PrepareChange(IdempotencyKey key, Amount amount, IReadOnlyList<KeysetId> targetKeysets)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(targetKeysets);
        if (amount.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "The amount is positive.");
        }

        ThrowIfDisposed();
        return _swap.PrepareChange(key, amount, targetKeysets);
    }

    /// <summary>
    /// Keeps change ahead of need (docs/PROTOCOL.md section 5.10, "Change ahead of need"): when the unreserved coins of
    /// the target keysets' fund below its largest denomination are worth less than <paramref name="reserve"/>, prepares
    /// a swap of the fewest large coins into small ones worth the shortfall (and the remainder in any target). Run it
    /// right after a withdrawal or at an idle moment, never in the same sitting as a payment: a swap just before a
    /// payment tells the scheme when that payment was made, while one at withdrawal time spends only coins the scheme
    /// has just seen withdrawn.
    /// </summary>
    /// <param name="key">The idempotency key (fresh and random, as for <see cref="PrepareChange"/>).</param>
    /// <param name="targetKeysets">Trusted keysets of one fund, withdrawable now, with at least two denominations.</param>
    /// <param name="reserve">The value to keep in small denominations, such as the largest ordinary payment.</param>
    /// <returns>The signed swap, or why not: <see cref="SwapPreparationStatus.ChangeNotNeeded"/> when the small coins already reach the reserve (or the targets have one denomination), <see cref="SwapPreparationStatus.InsufficientCoins"/> when there is no large coin to break, <see cref="SwapPreparationStatus.NoExactSplit"/> when the denominations cannot split it.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The key is pending, or a keyset is untrusted, not withdrawable now, or of another fund.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public SwapPreparation PrepareChangeAhead(IdempotencyKey key, IReadOnlyList<KeysetId> targetKeysets, Amount reserve)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(targetKeysets);
        ThrowIfDisposed();
        return _swap.PrepareChangeAhead(key, targetKeysets, reserve);
    }

    /// <summary>
    /// Prepares a rollover: every unreserved coin that is still spendable but whose keyset is not among
    /// <paramref name="currentKeysets"/> is swapped, per fund, into the current keysets of the same fund.
    /// </summary>
    /// <param name="key">The idempotency key (fresh and random, as for <see cref="PrepareChange"/>).</param>
    /// <param name="currentKeysets">Trusted keysets withdrawable now (any funds).</param>
    /// <returns>The signed swap, or why not: <see cref="SwapPreparationStatus.NothingToRollOver"/>, or <see cref="SwapPreparationStatus.NoExactSplit"/> when no fund's total splits exactly.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key is pending, or a keyset is untrusted or not withdrawable now.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public SwapPreparation PrepareRollover(IdempotencyKey key, IReadOnlyList<KeysetId> currentKeysets)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(currentKeysets);
        ThrowIfDisposed();
        return _swap.PrepareRollover(key, currentKeysets);
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
        ThrowIfDisposed();
        return _swap.Complete(request.IdempotencyKey, request.Hash(), response);
    }

    /// <summary>
    /// Prepares the recovery of every unreserved, unspent coin of a revoked keyset: each coin with its salt and
    /// blinding factor disclosed, and new coins of <paramref name="replacementKeysets"/> of the same total. Disclosing
    /// the blinding links each coin to its withdrawal; that costs nothing for coins never spent.
    /// </summary>
    /// <param name="key">The idempotency key (scoped to the account).</param>
    /// <param name="revokedKeyset">The revoked keyset.</param>
    /// <param name="replacementKeysets">Trusted keysets of the same fund, withdrawable now.</param>
    /// <returns>The account-signed request, or why not: <see cref="RecoveryPreparationStatus.NoCoinsToRecover"/> or <see cref="RecoveryPreparationStatus.NoExactSplit"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key is pending, a keyset is untrusted, not withdrawable now, or of another fund.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public RecoveryPreparation PrepareRecovery(IdempotencyKey key, KeysetId revokedKeyset, IReadOnlyList<KeysetId> replacementKeysets)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(revokedKeyset);
        ArgumentNullException.ThrowIfNull(replacementKeysets);
        ThrowIfDisposed();
        return _recovery.Prepare(key, revokedKeyset, replacementKeysets);
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
        ThrowIfDisposed();
        return _recovery.Complete(request, response);
    }

    /// <summary>
    /// Gives up a pending swap or recovery that the scheme refused, releasing its coins. Do not call it while the
    /// outcome is unknown (a lost response): retry the same request instead, or the coins could be spent twice. For the
    /// swap of an abandoned payment, the payment is in flight again (its coins stay spent); prefer
    /// <see cref="CompleteAbandonPayment"/> with the scheme's answer.
    /// </summary>
    /// <param name="key">The idempotency key.</param>
    /// <returns>Whether a pending swap was dropped.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool AbandonSwap(IdempotencyKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _swap.Abandon(key);
    }

    // The pending swaps or the pending recoveries (both share the state's pending-swap table), in key order.
    private static IReadOnlyList<T> Pending<T>(WalletState state)
        where T : class =>
        [.. state.PendingSwaps.OrderBy(p => p.Key.Value, StringComparer.Ordinal).Select(p => p.Value.Request).OfType<T>()];
}
