namespace Wallet.Protocol.Wallets;

/// <summary>Refund claims (docs/PROTOCOL.md 5.17), wallet side.</summary>
public sealed partial class WorkerWallet
{
    private RefundFlow? _refundFlow;

    /// <summary>
    /// Refund claims prepared but not completed or abandoned (<see cref="AbandonSwap"/> drops one the scheme refused).
    /// After a crash or a lost response, send the same claim again: the scheme replays its answer and
    /// <see cref="CompleteRefundClaim"/> finishes it.
    /// </summary>
    public IReadOnlyList<RefundClaimRequest> PendingRefundClaims => Read(Pending<RefundClaimRequest>);

    private RefundFlow RefundClaims => _refundFlow ??= new RefundFlow(_context, _swap);

    /// <summary>
    /// Prepares the claim of a provider's refund of one of this wallet's payments: checks that the refund names coins
    /// this wallet paid that provider with, signs the claim with each coin's key (re-derived from the seed) and asks for
    /// new coins worth exactly the refund, of the refunded coins' fund, in trusted keysets withdrawable now. The claim
    /// names no account; it stays pending (and in the wallet file) until <see cref="CompleteRefundClaim"/>.
    /// </summary>
    /// <param name="refund">The provider's refund.</param>
    /// <param name="key">The idempotency key, or null for a fresh random one (a key that names the worker would undo the anonymity).</param>
    /// <returns>The signed claim, or why not.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="refund"/> is null.</exception>
    /// <exception cref="ArgumentException">A swap or claim with this key is pending.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public RefundClaimPreparation PrepareRefundClaim(ProviderRefund refund, IdempotencyKey? key = null)
    {
        ArgumentNullException.ThrowIfNull(refund);
        ThrowIfDisposed();
        return RefundClaims.Prepare(refund, key ?? new IdempotencyKey(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))));
    }

    /// <summary>Keeps the new coins of an honoured refund claim (each unblinded and verified, RFC 9474 section 4.4).</summary>
    /// <param name="request">The claim that was sent.</param>
    /// <param name="response">The scheme's response.</param>
    /// <returns>The outcome; nothing changes unless it is <see cref="SwapCompletion.Completed"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public SwapCompletion CompleteRefundClaim(RefundClaimRequest request, RefundClaimResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        ThrowIfDisposed();
        return RefundClaims.Complete(request, response);
    }
}
