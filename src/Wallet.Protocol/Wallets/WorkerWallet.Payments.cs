namespace Wallet.Protocol.Wallets;

/// <summary>Payment (DESIGN.md section 3 flow 3).</summary>
public sealed partial class WorkerWallet
{
    /// <summary>
    /// Pays a provider's request: checks the registry signature, the provider's accreditation now, the request's
    /// signature by the registered receipt key and its expiry; picks unspent coins, not reserved by a pending swap, that
    /// the provider may redeem and that sum exactly to the amount; signs each coin's spend over the request. When the
    /// coins are worth enough but no subset is exact, the result says so (<see cref="PaymentPreparation.ChangeAvailable"/>):
    /// run <see cref="PrepareChange"/> and pay after the swap completes. The coins are then spent for the
    /// wallet (re-using one would be a provable double spend), and the payment is recorded in flight
    /// (<see cref="PaymentsInFlight"/>, saved in the wallet file) until <see cref="AcceptSpendReceipt"/> confirms it or
    /// <see cref="PrepareAbandonPayment"/> takes the coins back. Asked again for a request whose payment is in flight, it
    /// answers the same spends (after a crash before they were sent); one being abandoned or known to be deposited is
    /// refused (<see cref="PaymentPreparationStatus.AlreadyPaid"/>).
    /// </summary>
    /// <param name="request">The payment request.</param>
    /// <param name="registry">The current signed registry.</param>
    /// <returns>The spends to hand to the provider, or why not.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public PaymentPreparation PreparePayment(PaymentRequest request, AccreditationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registry);
        ThrowIfDisposed();
        return _pay.Prepare(request, registry, only: null);
    }

    /// <summary>
    /// Keeps a provider's spend receipt if it verifies for the paid request with the provider's registered key, and
    /// closes the payment in flight for that request (a pending abandon swap of it is dropped: the provider deposited the
    /// coins, so the scheme would refuse it). A receipt for a payment whose coins a swap already took back
    /// (<see cref="WalletPaymentState.Abandoned"/>) contradicts the scheme and is not kept.
    /// </summary>
    /// <param name="receipt">The receipt.</param>
    /// <param name="request">The paid request.</param>
    /// <param name="registry">The signed registry.</param>
    /// <returns>Whether the receipt verified and was kept.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool AcceptSpendReceipt(SpendReceipt receipt, PaymentRequest request, AccreditationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registry);
        return _pay.AcceptReceipt(receipt, request, registry);
    }
}
