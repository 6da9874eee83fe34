namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// Published payment requests (docs/http.md "Provider"): a wallet fetches an open request, with its details, by payment
/// id or by short offer code; a paid or expired one is 410, one the provider did not publish 404 (docs/PROTOCOL.md 5.20).
/// </summary>
internal sealed partial class ProviderEndpoints
{
    public Task PublishedRequest(HttpContext context) => EndpointGuard.RunPlainAsync(context, async () =>
    {
        if (await RoutePaymentAsync(context).ConfigureAwait(false) is not { } payment)
        {
            return;
        }

        await WriteOfferAsync(context, await provider.FindPaymentOfferAsync(payment, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }, ex => logger.LogError(ex, "Provider payment request endpoint failed"));

    public Task Offer(HttpContext context) => EndpointGuard.RunPlainAsync(context, async () =>
    {
        if (context.Request.RouteValues["code"] is not string code || !AccreditedProvider.IsOfferCode(code))
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter, "Invalid parameter", $"An offer code is {AccreditedProvider.OfferCodeLength} characters of 0-9 and a-z without i, l, o and u.").ConfigureAwait(false);
            return;
        }

        await WriteOfferAsync(context, await provider.FindPaymentOfferAsync(code, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }, ex => logger.LogError(ex, "Provider offer endpoint failed"));

    private static Task WriteOfferAsync(HttpContext context, PaymentOfferLookup lookup) => lookup switch
    {
        { Status: PaymentOfferStatus.Open, Offer: { } offer } => EndpointGuard.WriteAsync(context, PbMediaTypes.PaymentOffer, offer.Request.EncodeOffer(), "no-store"),
        { Status: PaymentOfferStatus.Closed or PaymentOfferStatus.Expired } =>
            Problems.WriteAsync(context, StatusCodes.Status410Gone, ProblemTypes.RequestClosed, "Payment request closed", lookup.Status == PaymentOfferStatus.Expired ? "The request has expired." : "The request is paid."),
        _ => Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No such payment request"),
    };
}
