namespace Wallet.Protocol.Http.Client;

/// <summary>The holder's receipt call (docs/http.md "Provider", docs/PROTOCOL.md section 5.20).</summary>
public sealed partial class HttpProviderClient
{
    /// <summary>
    /// Asks the provider, with a holder proof, where a payment stands: open, verified, paid with the signed spend
    /// receipt, or rejected with the scheme's reason. Only the wallet holding the payment's coins hears the answer.
    /// Transient failures are retried with the same proof; a proof the provider already accepted (a lost answer) or one
    /// outside its clock window comes back as a <see cref="SchemeHttpException"/>: sign a new one, or use the overload
    /// that signs one itself.
    /// </summary>
    /// <param name="proof">The proof (<c>WorkerWallet.ProveHolding</c>), for <see cref="HolderProofPurpose.SpendReceipt"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The payment's state; <see cref="ProviderPaymentStatus.Unknown"/> when the provider holds no coins for it. The
    /// receipt is decoded but not verified (<c>WorkerWallet.AcceptSpendReceipt</c> verifies it).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    /// <exception cref="ArgumentException">The proof is made for another purpose.</exception>
    /// <exception cref="SchemeHttpException">
    /// The provider could not be reached, answered garbage or another payment's status, or refused the proof:
    /// <see cref="SchemeHttpException.ProblemType"/> is <see cref="ProblemTypes.HolderProofRefused"/> (not the payment's
    /// coins, another provider, a bad signature), <see cref="ProblemTypes.HolderProofStale"/> (the clocks disagree),
    /// <see cref="ProblemTypes.HolderProofReplayed"/> (already used), <see cref="ProblemTypes.RateLimited"/>, or a malformed-body type.
    /// </exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<ProviderPaymentState> GetSpendReceiptAsync(HolderProof proof, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (proof.Purpose != HolderProofPurpose.SpendReceipt)
        {
            throw new ArgumentException("The proof is not made for a spend receipt.", nameof(proof));
        }

        string path = $"{SchemeRoutes.Payments}/{proof.Payment}{SchemeRoutes.HolderReceipt}";
        byte[]? body = await _sender.SendAsync(HttpMethod.Post, path, proof.Encode(), PbMediaTypes.HolderProof, PbMediaTypes.PaymentStatus, null, true, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return ProviderPaymentState.Unknown(proof.Payment);
        }

        var state = SchemeSender.Decode(body, b => ProviderEnvelopes.DecodePaymentStatus(b));
        return state.Payment == proof.Payment ? state : throw new SchemeHttpException("The provider answered with another payment's status.");
    }

    /// <summary>
    /// Asks for a payment's status with a proof signed by <paramref name="prove"/>, signing a fresh one once more when the
    /// provider answers that the first was already used (an answer lost in transit) or outside its clock window.
    /// </summary>
    /// <param name="prove">Signs a fresh proof for <see cref="HolderProofPurpose.SpendReceipt"/> (for example <c>() =&gt; wallet.ProveHolding(id)</c>); null when the wallet holds no such payment.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The payment's state, or null when <paramref name="prove"/> gave no proof.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prove"/> is null.</exception>
    /// <exception cref="ArgumentException">A proof is made for another purpose.</exception>
    /// <exception cref="SchemeHttpException">As <see cref="GetSpendReceiptAsync(HolderProof, CancellationToken)"/>, after the one fresh proof.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<ProviderPaymentState?> GetSpendReceiptAsync(Func<HolderProof?> prove, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prove);
        for (int attempt = 0; ; attempt++)
        {
            if (prove() is not { } proof)
            {
                return null;
            }

            try
            {
                return await GetSpendReceiptAsync(proof, cancellationToken).ConfigureAwait(false);
            }
            catch (SchemeHttpException ex) when (attempt == 0 && ex.ProblemType is ProblemTypes.HolderProofReplayed or ProblemTypes.HolderProofStale)
            {
                // A fresh proof has a fresh nonce and time: a replay cannot repeat, and a stale one was a slow first try.
            }
        }
    }
}
