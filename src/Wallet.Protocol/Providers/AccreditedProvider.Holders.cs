namespace Wallet.Protocol.Providers;

/// <summary>
/// Answers to the wallet that holds a payment's coins (docs/PROTOCOL.md section 5.20): the provider checks a
/// <see cref="HolderProof"/> against the coins it was paid with, and only then hands out the payment's status with its
/// spend receipt (or, for the refund flow, what it holds for the payment).
/// </summary>
public sealed partial class AccreditedProvider
{
    // Bounds of the in-process memories behind holder proofs: payments whose coins are remembered after settlement,
    // and accepted proofs still inside their window (docs/PROTOCOL.md 5.20, "Replays").
    private const int RememberedPaymentCoins = 100_000;
    private const int LiveHolderProofs = 100_000;

    private readonly PaymentCoinMemory _paymentCoins = new(RememberedPaymentCoins);
    private readonly HolderProofReplays _holderProofs = new(LiveHolderProofs);

    /// <summary>
    /// Checks that the sender of <paramref name="proof"/> holds exactly <paramref name="coins"/> now: addressed to this
    /// provider, made for <paramref name="purpose"/> and <paramref name="payment"/>, inside the clock window, every coin
    /// signed, and not a replay of a proof accepted before. The one call another flow makes when it already knows which
    /// coins it answers for (a refund names its coins).
    /// </summary>
    /// <param name="proof">The wallet's proof.</param>
    /// <param name="purpose">What the caller is about to answer.</param>
    /// <param name="payment">The payment asked about.</param>
    /// <param name="coins">The coins the holder must prove.</param>
    /// <returns><see cref="HolderProofStatus.Valid"/> (and the proof is now spent), or the first failed check.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public HolderProofStatus VerifyHolder(HolderProof proof, HolderProofPurpose purpose, PaymentId payment, IReadOnlyCollection<CoinId> coins)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(coins);
        var now = _time.GetUtcNow();
        var status = proof.Check(Record.Id, purpose, payment, coins, now);

        // Only a proof whose signatures verified is remembered, so nobody without the coins can fill the memory.
        return status == HolderProofStatus.Valid ? _holderProofs.TryAccept(proof, now) : status;
    }

    /// <summary>
    /// Checks <paramref name="proof"/> against the coins that paid <paramref name="payment"/> (<see cref="FindPaymentCoinsAsync"/>);
    /// <see cref="HolderProofStatus.UnknownPayment"/> when the provider knows none.
    /// </summary>
    /// <param name="proof">The wallet's proof.</param>
    /// <param name="purpose">What the caller is about to answer.</param>
    /// <param name="payment">The payment asked about.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<HolderProofStatus> VerifyHolderAsync(HolderProof proof, HolderProofPurpose purpose, PaymentId payment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(payment);
        var coins = await FindPaymentCoinsAsync(payment, cancellationToken).ConfigureAwait(false);
        return coins is null ? HolderProofStatus.UnknownPayment : VerifyHolder(proof, purpose, payment, coins);
    }

    /// <summary>
    /// Tells the wallet that proves it holds a payment's coins where the payment stands: verified, paid with the signed
    /// spend receipt, or rejected with the scheme's reason (<see cref="HolderProofPurpose.SpendReceipt"/>).
    /// </summary>
    /// <param name="proof">The wallet's proof, for <see cref="HolderProofPurpose.SpendReceipt"/>.</param>
    /// <param name="payment">The payment asked about.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The verdict on the proof, with the payment's state when it was valid.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<HolderPaymentState> GetPaymentForHolderAsync(HolderProof proof, PaymentId payment, CancellationToken cancellationToken = default)
    {
        var status = await VerifyHolderAsync(proof, HolderProofPurpose.SpendReceipt, payment, cancellationToken).ConfigureAwait(false);
        return status != HolderProofStatus.Valid
            ? new HolderPaymentState(status, null)
            : new HolderPaymentState(status, await _store.GetPaymentStateAsync(payment, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Finds the coins that paid <paramref name="payment"/>, ascending: from this process's memory of accepted payments,
    /// then from the store while the payment waits for a deposit (verified, or in the deposit in flight), then from the
    /// coins the store kept when the payment's deposit settled.
    /// </summary>
    /// <param name="payment">The payment.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The coins, or null when the provider knows none (never paid to it).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<CoinId>?> FindPaymentCoinsAsync(PaymentId payment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (_paymentCoins.Find(payment) is { } remembered)
        {
            return remembered;
        }

        IEnumerable<CoinSpend>? spends = null;
        if (await _store.GetInFlightDepositAsync(cancellationToken).ConfigureAwait(false) is { } inFlight && inFlight.Spends.Any(s => s.Request.Id == payment))
        {
            spends = inFlight.Spends.Where(s => s.Request.Id == payment);
        }
        else if ((await _store.GetPaymentStateAsync(payment, cancellationToken).ConfigureAwait(false)).Status == ProviderPaymentStatus.Verified)
        {
            spends = (await _store.ListVerifiedAsync(int.MaxValue, cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Request.Id == payment)?.Spends;
        }

        // A settled payment's spends are gone from the store, but its coins were kept for refunds before the deposit
        // settled (PutPaymentCoinsAsync): a provider that restarted still answers the holders of payments it settled.
        List<CoinId> coins;
        if (spends is not null)
        {
            coins = [.. spends.Select(s => s.Coin.Id)];
        }
        else if (await _store.GetPaymentCoinsAsync(payment, cancellationToken).ConfigureAwait(false) is { Count: > 0 } kept)
        {
            coins = [.. kept];
        }
        else
        {
            return null;
        }

        _paymentCoins.Remember(payment, coins);
        return _paymentCoins.Find(payment);
    }

    // Called when a payment's coins verified: from then on its holder can prove itself, even after settlement.
    private void RememberPaymentCoins(PaymentRequest request, IReadOnlyList<CoinSpend> spends) => _paymentCoins.Remember(request.Id, spends.Select(s => s.Coin.Id));
}
