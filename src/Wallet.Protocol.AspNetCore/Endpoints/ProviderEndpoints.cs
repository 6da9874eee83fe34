namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The handler behind <c>MapWalletProvider</c>: a wallet submits spends for one of the provider's payment requests.
/// The provider verifies them offline against the keysets the scheme lists (docs/PROTOCOL.md section 5.4).
/// </summary>
internal sealed class ProviderEndpoints(AccreditedProvider provider, ISchemeClient scheme, int maxBodyBytes, int maxRememberedPayments, ILogger logger)
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
}
