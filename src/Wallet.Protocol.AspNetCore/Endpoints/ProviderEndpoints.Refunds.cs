namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The holder's refund route (docs/http.md "Provider"): a wallet proves it holds a payment's coins with a holder proof
/// for refunds and receives every refund the provider signed for that payment, to claim at the scheme
/// (docs/PROTOCOL.md 5.17 and 5.20). Nobody else learns that a payment was refunded.
/// </summary>
internal sealed partial class ProviderEndpoints
{
    public Task HolderRefunds(HttpContext context) => EndpointGuard.RunPlainAsync(context, async () =>
    {
        if (await ReadHolderProofAsync(context).ConfigureAwait(false) is not var (payment, proof))
        {
            return;
        }

        var status = await provider.VerifyHolderAsync(proof, Payments.HolderProofPurpose.Refund, payment, context.RequestAborted).ConfigureAwait(false);
        if (status != Payments.HolderProofStatus.Valid)
        {
            await HolderProblemAsync(context, status).ConfigureAwait(false);
            return;
        }

        var refunds = await provider.ListRefundsAsync(payment, context.RequestAborted).ConfigureAwait(false);
        await EndpointGuard.WriteAsync(context, PbMediaTypes.PaymentRefunds, ProviderEnvelopes.EncodeRefunds(payment, refunds), "no-store").ConfigureAwait(false);
    }, ex => logger.LogError(ex, "Provider holder refunds endpoint failed"));
}
