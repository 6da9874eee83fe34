namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The holder's receipt route (docs/http.md "Provider"): a wallet proves it holds a payment's coins with a holder proof
/// and hears where the payment stands, with the spend receipt once paid (docs/PROTOCOL.md section 5.20).
/// </summary>
internal sealed partial class ProviderEndpoints
{
    // The largest holder proof: header fields, a 255-character provider id, and 1024 coins with their signatures.
    private const int MaxHolderProofBytes = 128 * 1024;

    public Task HolderReceipt(HttpContext context) => EndpointGuard.RunPlainAsync(context, async () =>
    {
        if (await ReadHolderProofAsync(context).ConfigureAwait(false) is not var (payment, proof))
        {
            return;
        }

        var answer = await provider.GetPaymentForHolderAsync(proof, payment, context.RequestAborted).ConfigureAwait(false);
        if (answer.Proof == Payments.HolderProofStatus.Valid && answer.State is { Status: not ProviderPaymentStatus.Unknown } state)
        {
            await EndpointGuard.WriteAsync(context, PbMediaTypes.PaymentStatus, ProviderEnvelopes.EncodePaymentStatus(state), "no-store").ConfigureAwait(false);
            return;
        }

        await HolderProblemAsync(context, answer.Proof).ConfigureAwait(false);
    }, ex => logger.LogError(ex, "Provider holder receipt endpoint failed"));

    /// <summary>The problem for a refused holder proof (docs/http.md "Problems"); also the refund route's.</summary>
    internal static Task HolderProblemAsync(HttpContext context, Payments.HolderProofStatus status) => status switch
    {
        Payments.HolderProofStatus.UnknownPayment or Payments.HolderProofStatus.Valid =>
            Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No such payment", "The provider holds no coins for this payment."),
        Payments.HolderProofStatus.Stale =>
            Problems.WriteAsync(context, StatusCodes.Status403Forbidden, ProblemTypes.HolderProofStale, "Holder proof outside the time window", "Sign a new proof; the Date header is the provider's clock."),
        Payments.HolderProofStatus.Replayed =>
            Problems.WriteAsync(context, StatusCodes.Status409Conflict, ProblemTypes.HolderProofReplayed, "Holder proof already used", "Sign a new proof."),
        Payments.HolderProofStatus.Busy =>
            Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited, "Too many holder proofs", retryAfter: "60"),
        _ => Problems.WriteAsync(context, StatusCodes.Status403Forbidden, ProblemTypes.HolderProofRefused, "Holder proof refused"),
    };

    /// <summary>The route's payment id and the body's holder proof, or null once a problem (400, 413, 415) is written.</summary>
    internal async Task<(Payments.PaymentId Payment, Payments.HolderProof Proof)?> ReadHolderProofAsync(HttpContext context)
    {
        if (await RoutePaymentAsync(context).ConfigureAwait(false) is not { } payment)
        {
            return null;
        }

        byte[]? body = await RequestBodies.ReadAsync(context, PbMediaTypes.HolderProof, Math.Min(maxBodyBytes, MaxHolderProofBytes)).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        if (!Payments.HolderProof.TryDecode(body, out var proof))
        {
            await Problems.Malformed(context, "holder proof").ConfigureAwait(false);
            return null;
        }

        return (payment, proof);
    }

    /// <summary>The route's payment id (64 hexadecimal digits), or null once a 400 problem is written.</summary>
    internal static async Task<Payments.PaymentId?> RoutePaymentAsync(HttpContext context)
    {
        if (context.Request.RouteValues["payment"] is string hex && hex.Length == 2 * Payments.PaymentId.Length && hex.All(char.IsAsciiHexDigit))
        {
            return Payments.PaymentId.Parse(hex);
        }

        await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter, "Invalid parameter", "The payment id is not 64 hexadecimal digits.").ConfigureAwait(false);
        return null;
    }
}
