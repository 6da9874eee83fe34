namespace Wallet.Protocol.Wallets;

/// <summary>Payments in flight and their abandonment by a swap (docs/PROTOCOL.md section 5.4).</summary>
public sealed partial class WorkerWallet
{
    /// <summary>
    /// Every payment the wallet recorded and no spend receipt confirmed yet, in payment id order: in flight, being
    /// abandoned, abandoned (refunded) or known to be deposited. Saved in the wallet file.
    /// </summary>
    public IReadOnlyList<WalletPayment> Payments => Read<IReadOnlyList<WalletPayment>>(s => [.. s.Payments.Values.OrderBy(p => p.Id).Select(p => p.ToPublic())]);

    /// <summary>
    /// The payments whose outcome is open: <see cref="WalletPaymentState.InFlight"/> or
    /// <see cref="WalletPaymentState.Abandoning"/>, in payment id order. Their coins are not in <see cref="Balance"/>.
    /// </summary>
    public IReadOnlyList<WalletPayment> PaymentsInFlight =>
        Read<IReadOnlyList<WalletPayment>>(s => [.. s.Payments.Values.Where(p => p.State is WalletPaymentState.InFlight or WalletPaymentState.Abandoning).OrderBy(p => p.Id).Select(p => p.ToPublic())]);

    /// <summary>
    /// Abandons a payment that the provider refused or never confirmed: prepares a swap of exactly its coins into fresh
    /// coins of <paramref name="targetKeysets"/> (per fund, split exactly), kept pending like any swap and linked to the
    /// payment in the wallet file. Send it, then pass the scheme's answer to <see cref="CompleteAbandonPayment"/>: either
    /// the value comes back, or the scheme proves that the provider deposited the coins first. Never both.
    /// </summary>
    /// <param name="payment">The payment, <see cref="WalletPaymentState.InFlight"/>.</param>
    /// <param name="key">The swap's idempotency key: fresh and random, as for <see cref="PrepareChange"/>.</param>
    /// <param name="targetKeysets">Trusted keysets withdrawable now (any funds), to make the new coins in.</param>
    /// <returns>The signed swap, or why not (<see cref="SwapPreparationStatus.UnknownPayment"/>, <see cref="SwapPreparationStatus.PaymentNotInFlight"/>, <see cref="SwapPreparationStatus.CoinsNotSwappable"/>, <see cref="SwapPreparationStatus.NoTargetForFund"/>, <see cref="SwapPreparationStatus.NoExactSplit"/>).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key is pending, or a keyset is untrusted or not withdrawable now.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    /// <remarks>
    /// Abandoning is safe at any time: the scheme lets the first spend of a coin win, so a provider that still holds
    /// the payment can no longer deposit it once the swap is honoured, and a provider that deposited it makes the swap
    /// fail. The swap names no account (docs/PROTOCOL.md section 5.10).
    /// </remarks>
    public SwapPreparation PrepareAbandonPayment(PaymentId payment, IdempotencyKey key, IReadOnlyList<KeysetId> targetKeysets)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(targetKeysets);
        ThrowIfDisposed();
        return _abandon.Prepare(payment, key, targetKeysets);
    }

    /// <summary>
    /// Concludes an abandon swap from the scheme's answer: <see cref="SwapStatus.Swapped"/> keeps the new coins
    /// (each unblinded and verified) and marks the payment <see cref="WalletPaymentState.Abandoned"/>;
    /// <see cref="SwapStatus.DoubleSpend"/> with a valid proof that a coin was first spent on this payment marks it
    /// <see cref="WalletPaymentState.Deposited"/> and keeps the proofs; <see cref="SwapStatus.SigningKeyUnavailable"/>
    /// keeps the swap pending; any other refusal drops the swap and puts the payment back in flight with the reason.
    /// </summary>
    /// <param name="request">The swap from <see cref="PrepareAbandonPayment"/> (or <see cref="PendingSwaps"/> after a reload).</param>
    /// <param name="result">The scheme's answer to it.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public PaymentAbandonment CompleteAbandonPayment(SwapRequest request, SwapResult result)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        ThrowIfDisposed();
        return _abandon.Complete(request, result);
    }
}
