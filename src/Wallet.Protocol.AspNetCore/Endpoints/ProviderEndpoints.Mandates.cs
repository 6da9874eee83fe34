using Wallet.Protocol.Mandates;

namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The union's dues mandate routes (docs/PROTOCOL.md 5.19): the member's wallet fetches its mandate, asks for each
/// period's payment request, and fetches a paid-up statement. The mandate id in the path is the member's capability.
/// </summary>
internal sealed partial class ProviderEndpoints
{
    // How long a period's request stays payable: the wallet asks for it when it is about to pay.
    private static readonly TimeSpan MandateRequestValidity = TimeSpan.FromDays(1);

    public Task Mandate(HttpContext context) => EndpointGuard.RunPlainAsync(context, async () =>
    {
        if (await MandateIdAsync(context).ConfigureAwait(false) is not { } id)
        {
            return;
        }

        if (await provider.GetMandateAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } mandate)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No such mandate").ConfigureAwait(false);
            return;
        }

        await EndpointGuard.WriteAsync(context, MandateRoutes.MandateMediaType, mandate.Encode(), "no-store").ConfigureAwait(false);
    }, ex => logger.LogError(ex, "Provider mandate endpoint failed"));

    public Task MandatePeriodRequest(HttpContext context) => EndpointGuard.RunPlainAsync(context, async () =>
    {
        if (await MandateIdAsync(context).ConfigureAwait(false) is not { } id)
        {
            return;
        }

        if (context.Request.RouteValues["period"] is not string text || text.Length is 0 or > 10 || !text.All(char.IsAsciiDigit) || !uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint period))
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter, "Invalid parameter", "The period is not a 32-bit unsigned decimal number.").ConfigureAwait(false);
            return;
        }

        if (await provider.CreateMandatePaymentRequestAsync(id, period, MandateRequestValidity, context.RequestAborted).ConfigureAwait(false) is not { } request)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No payable period", "The mandate is unknown, the period has not started or is not covered, or it is paid.").ConfigureAwait(false);
            return;
        }

        await EndpointGuard.WriteAsync(context, MandateRoutes.PaymentOfferMediaType, request.EncodeOffer(), "no-store").ConfigureAwait(false);
    }, ex => logger.LogError(ex, "Provider mandate request endpoint failed"));

    public Task MandateStatement(HttpContext context) => EndpointGuard.RunPlainAsync(context, async () =>
    {
        if (await MandateIdAsync(context).ConfigureAwait(false) is not { } id)
        {
            return;
        }

        if (await provider.IssuePaidUpStatementAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } statement)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No such mandate").ConfigureAwait(false);
            return;
        }

        await EndpointGuard.WriteAsync(context, MandateRoutes.StatementMediaType, statement.Encode(), "no-store").ConfigureAwait(false);
    }, ex => logger.LogError(ex, "Provider paid-up statement endpoint failed"));

    // The id is 32 bytes in hex: anything else is a bad parameter, answered before any lookup.
    private static async Task<MandateId?> MandateIdAsync(HttpContext context)
    {
        if (context.Request.RouteValues["mandate"] is string hex && hex.Length == 2 * MandateId.Length && hex.All(char.IsAsciiHexDigit))
        {
            return MandateId.Parse(hex);
        }

        await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter, "Invalid parameter", "The mandate id is not 64 hexadecimal digits.").ConfigureAwait(false);
        return null;
    }
}
