namespace Wallet.Protocol.Http.Client;

/// <summary>
/// A wallet's HTTP client to an accredited provider's <c>MapWalletProvider</c> endpoints: submits the coin spends for
/// a payment request and returns the provider's verdict, and asks where a payment stands (the spend receipt once the
/// provider deposited it). Retries re-send the same bytes; the provider answers a replay of an accepted submission
/// with the same verdict.
/// </summary>
public sealed partial class HttpProviderClient
{
    private readonly SchemeSender _sender;

    /// <summary>Creates the client.</summary>
    /// <param name="httpClient">The HTTP client (not owned).</param>
    /// <param name="options">The settings; <see cref="HttpSchemeClientOptions.BaseAddress"/> is the provider's base including its prefix.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public HttpProviderClient(HttpClient httpClient, HttpSchemeClientOptions options) =>
        _sender = new SchemeSender(httpClient, IRemoteRoleOptions.Checked(httpClient, options), null);

    /// <summary>Pays <paramref name="request"/> with <paramref name="spends"/> (from <c>WorkerWallet.PreparePayment</c>).</summary>
    /// <param name="request">The provider's signed payment request.</param>
    /// <param name="spends">The coin spends.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The provider's verdict (docs/PROTOCOL.md section 5.4).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="spends"/> is empty.</exception>
    /// <exception cref="SchemeHttpException">The provider could not be reached, refused the request as malformed, or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PaymentVerification> SubmitPaymentAsync(PaymentRequest request, IReadOnlyList<CoinSpend> spends, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(spends);
        if (spends.Count == 0)
        {
            throw new ArgumentException("A payment needs at least one spend.", nameof(spends));
        }

        byte[] body = await _sender.SendAsync(HttpMethod.Post, SchemeRoutes.Payments, PbEnvelopes.EncodePaymentSubmission(request, spends), PbMediaTypes.PaymentSubmission, PbMediaTypes.PaymentResult, null, false, cancellationToken).ConfigureAwait(false) ?? [];
        try
        {
            return PbEnvelopes.DecodePaymentResult(body);
        }
        catch (Wallet.Protocol.Wire.ProtocolFormatException ex)
        {
            throw new SchemeHttpException("The provider's response is not a valid encoding.", ex);
        }
    }

    /// <summary>Asks the provider where a payment stands: open, verified (awaiting a deposit), paid with the signed spend receipt, or rejected with the scheme's reason and proofs.</summary>
    /// <param name="payment">The payment (<see cref="PaymentRequest.Id"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The provider's answer; <see cref="ProviderPaymentStatus.Unknown"/> when it does not know the payment. The
    /// receipt is decoded but not verified: check it with <see cref="SpendReceipt.Verify"/> against the request and the
    /// provider's registered key (docs/PROTOCOL.md section 5.5).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The provider could not be reached, refused the request, or answered garbage or another payment's status.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<ProviderPaymentState> GetPaymentStatusAsync(PaymentId payment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        string path = $"{SchemeRoutes.Payments}/{payment}";
        byte[]? body = await _sender.SendAsync(HttpMethod.Get, path, null, null, PbMediaTypes.PaymentStatus, null, true, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return ProviderPaymentState.Unknown(payment);
        }

        ProviderPaymentState state;
        try
        {
            state = ProviderEnvelopes.DecodePaymentStatus(body);
        }
        catch (Wallet.Protocol.Wire.ProtocolFormatException ex)
        {
            throw new SchemeHttpException("The provider's response is not a valid encoding.", ex);
        }

        return state.Payment == payment ? state : throw new SchemeHttpException("The provider answered with another payment's status.");
    }
}
