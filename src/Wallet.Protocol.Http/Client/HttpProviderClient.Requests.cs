namespace Wallet.Protocol.Http.Client;

/// <summary>Fetching published payment requests (docs/http.md "Provider", docs/PROTOCOL.md section 5.20).</summary>
public sealed partial class HttpProviderClient
{
    /// <summary>Fetches a published payment request, with its details, by its payment id.</summary>
    /// <param name="payment">The payment id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The request with its details (checked against the request's commitment), or null when the provider published none
    /// under that id. Its signature is not checked here: <c>WorkerWallet.PreparePayment</c> checks it against the registry.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is null.</exception>
    /// <exception cref="SchemeHttpException">
    /// The provider could not be reached, answered garbage or another request, or the request is paid or expired
    /// (<see cref="SchemeHttpException.ProblemType"/> <see cref="ProblemTypes.RequestClosed"/>, status 410).
    /// </exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PaymentRequest?> GetPaymentRequestAsync(PaymentId payment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var request = await FetchOfferAsync($"{SchemeRoutes.PaymentRequests}/{payment}", cancellationToken).ConfigureAwait(false);
        return request is null || request.Id == payment ? request : throw new SchemeHttpException("The provider answered with another payment request.");
    }

    /// <summary>Fetches a published payment request, with its details, by its short offer code.</summary>
    /// <param name="code">The offer code (<see cref="AccreditedProvider.IsOfferCode"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The request with its details, or null when the provider knows no such code. Its signature is not checked here.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not an offer code.</exception>
    /// <exception cref="SchemeHttpException">As <see cref="GetPaymentRequestAsync"/>.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<PaymentRequest?> GetPaymentOfferAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (!AccreditedProvider.IsOfferCode(code))
        {
            throw new ArgumentException("Not an offer code.", nameof(code));
        }

        return FetchOfferAsync($"{SchemeRoutes.Offers}/{code}", cancellationToken);
    }

    private async Task<PaymentRequest?> FetchOfferAsync(string path, CancellationToken cancellationToken)
    {
        byte[]? body = await _sender.SendAsync(HttpMethod.Get, path, null, null, PbMediaTypes.PaymentOffer, null, true, cancellationToken).ConfigureAwait(false);
        return body is null ? null : SchemeSender.Decode(body, b => PaymentRequest.DecodeOffer(b));
    }
}
