namespace Wallet.Protocol.Http.Client;

/// <summary>The holder's refund call (docs/PROTOCOL.md 5.17 and 5.20).</summary>
public sealed partial class HttpProviderClient
{
    /// <summary>
    /// Fetches the refunds the provider signed for a payment, proving with <paramref name="proof"/> (made with
    /// <see cref="HolderProofPurpose.Refund"/>, for example <c>wallet.ProveHolding(payment, HolderProofPurpose.Refund)</c>)
    /// that this wallet holds the payment's coins. Hand each to <c>WorkerWallet.PrepareRefundClaim</c>.
    /// </summary>
    /// <param name="proof">The holder proof for refunds.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The refunds, oldest first; empty when there are none; null when the provider knows no such payment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    /// <exception cref="ArgumentException">The proof is made for another purpose.</exception>
    /// <exception cref="SchemeHttpException">
    /// The provider refused the proof (its <see cref="SchemeHttpException.ProblemType"/> says why: refused, stale,
    /// replayed), or answered with something that is not the canonical envelope for this payment.
    /// </exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<ProviderRefund>?> GetRefundsAsync(HolderProof proof, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (proof.Purpose != HolderProofPurpose.Refund)
        {
            throw new ArgumentException("The proof is not made for refunds.", nameof(proof));
        }

        string path = $"{SchemeRoutes.Payments}/{proof.Payment}{SchemeRoutes.HolderRefunds}";
        byte[]? body = await _sender.SendAsync(HttpMethod.Post, path, proof.Encode(), PbMediaTypes.HolderProof, PbMediaTypes.PaymentRefunds, null, true, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        var (payment, refunds) = SchemeSender.Decode(body, b => ProviderEnvelopes.DecodeRefunds(b));
        return payment == proof.Payment ? refunds : throw new SchemeHttpException("The provider answered with another payment's refunds.");
    }
}
