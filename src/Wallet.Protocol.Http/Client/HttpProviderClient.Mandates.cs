using Wallet.Protocol.Mandates;

namespace Wallet.Protocol.Http.Client;

/// <summary>Dues mandates over the union's HTTP surface (docs/PROTOCOL.md 5.19).</summary>
public sealed partial class HttpProviderClient
{
    /// <summary>Fetches a mandate the union issued. Verify it in the wallet (<c>WorkerWallet.AcceptMandate</c>) before trusting it.</summary>
    /// <param name="mandate">The mandate's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The mandate, or null when the union does not know it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The union could not be reached, refused the request, or answered garbage or another mandate.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<DuesMandate?> GetMandateAsync(MandateId mandate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        byte[]? body = await _sender.SendAsync(HttpMethod.Get, MandateRoutes.MandatePath(mandate), null, null, MandateRoutes.MandateMediaType, null, true, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        var decoded = Decode(body, b => DuesMandate.Decode(b));
        return decoded.Id == mandate ? decoded : throw new SchemeHttpException("The provider answered with another mandate.");
    }

    /// <summary>
    /// Asks the union for its payment request for one period of a mandate, with the details the wallet checks
    /// (<c>WorkerWallet.PrepareMandatePayment</c>); pay it with <see cref="SubmitPaymentAsync"/>.
    /// </summary>
    /// <param name="mandate">The mandate's id.</param>
    /// <param name="period">The period.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The request with its details, or null when the union has no payable request for that period.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The union could not be reached, refused the request, or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PaymentRequest?> RequestMandatePaymentAsync(MandateId mandate, uint period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        byte[]? body = await _sender.SendAsync(HttpMethod.Post, MandateRoutes.PeriodRequestPath(mandate, period), [], MandateRoutes.PaymentOfferMediaType, MandateRoutes.PaymentOfferMediaType, null, true, cancellationToken).ConfigureAwait(false);
        return body is null ? null : Decode(body, b => PaymentRequest.DecodeOffer(b));
    }

    /// <summary>Fetches a paid-up statement the union signs now. Check it with <see cref="PaidUpStatement.Verify(DuesMandate, Ed25519PublicKey)"/>.</summary>
    /// <param name="mandate">The mandate's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The statement, or null when the union does not know the mandate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The union could not be reached, refused the request, or answered garbage or another mandate's statement.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PaidUpStatement?> GetPaidUpStatementAsync(MandateId mandate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        byte[]? body = await _sender.SendAsync(HttpMethod.Get, MandateRoutes.StatementPath(mandate), null, null, MandateRoutes.StatementMediaType, null, true, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        var statement = Decode(body, b => PaidUpStatement.Decode(b));
        return statement.Mandate == mandate ? statement : throw new SchemeHttpException("The provider answered with another mandate's statement.");
    }

    private static T Decode<T>(byte[] body, Func<byte[], T> decode)
    {
        try
        {
            return decode(body);
        }
        catch (Wallet.Protocol.Wire.ProtocolFormatException ex)
        {
            throw new SchemeHttpException("The provider's response is not a valid encoding.", ex);
        }
    }
}
