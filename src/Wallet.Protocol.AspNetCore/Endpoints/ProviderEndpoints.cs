namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The handlers behind <c>MapWalletProvider</c>: a wallet submits spends for one of the provider's payment requests,
/// which the provider verifies offline against the keysets the scheme lists (docs/PROTOCOL.md section 5.4), and asks
/// where a payment stands: paid with the provider's spend receipt, or rejected with the scheme's reason (section 5.5).
/// </summary>
internal sealed partial class ProviderEndpoints(AccreditedProvider provider, ISchemeClient scheme, int maxBodyBytes, int maxRememberedPayments, ILogger logger)
{
    // Accepted submissions by body hash: a wallet that lost the answer re-sends the same bytes and hears "accepted"
    // again, where the provider alone would say the request is no longer open. Bounded: a submission forgotten here
    // meets the provider's own check, which never accepts a closed request twice, so eviction can only turn a late
    // "accepted" into "unknown request", never accept a payment twice.
    private readonly RecentSet _accepted = new(maxRememberedPayments);

    public Task Pay(HttpContext context) => EndpointGuard.RunPlainAsync(context, async () =>
    {
        byte[]? body = await RequestBodies.ReadAsync(context, PbMediaTypes.PaymentSubmission, maxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        Payments.PaymentRequest request;
        Coins.CoinSpend[] spends;
        try
        {
            (request, spends) = PbEnvelopes.DecodePaymentSubmission(body, Deposits.DepositRequest.MaxSpends);
        }
        catch (ProtocolFormatException)
        {
            await Problems.Malformed(context, "payment submission").ConfigureAwait(false);
            return;
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(body));
        var verdict = PaymentVerification.Accepted;
        if (!_accepted.Contains(hash))
        {
            var keysets = await scheme.ListKeysetsAsync(context.RequestAborted).ConfigureAwait(false);
            verdict = await provider.VerifyPaymentAsync(request, spends, [.. keysets.Where(k => !k.Revoked).Select(k => k.Announcement.Descriptor)], context.RequestAborted).ConfigureAwait(false);
            if (verdict == PaymentVerification.Accepted)
            {
                _accepted.Add(hash);
            }
        }

        await EndpointGuard.WriteAsync(context, PbMediaTypes.PaymentResult, PbEnvelopes.EncodePaymentResult(verdict), "no-store").ConfigureAwait(false);
    }, ex => logger.LogError(ex, "Provider payment endpoint failed"));

    public Task Status(HttpContext context) => EndpointGuard.RunPlainAsync(context, async () =>
    {
        // The id is the request's SHA-256 in hex: anything else is a bad parameter, answered before any lookup.
        if (context.Request.RouteValues["payment"] is not string hex || hex.Length != 2 * Payments.PaymentId.Length || !hex.All(char.IsAsciiHexDigit))
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter, "Invalid parameter", "The payment id is not 64 hexadecimal digits.").ConfigureAwait(false);
            return;
        }

        var state = await provider.GetPaymentStatusAsync(Payments.PaymentId.Parse(hex), context.RequestAborted).ConfigureAwait(false);
        if (state.Status == ProviderPaymentStatus.Unknown)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No such payment").ConfigureAwait(false);
            return;
        }

        await EndpointGuard.WriteAsync(context, PbMediaTypes.PaymentStatus, ProviderEnvelopes.EncodePaymentStatus(state), "no-store").ConfigureAwait(false);
    }, ex => logger.LogError(ex, "Provider payment status endpoint failed"));
}
