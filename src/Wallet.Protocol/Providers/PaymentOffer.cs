namespace Wallet.Protocol.Providers;

/// <summary>A payment request a provider publishes for wallets to fetch, by its <see cref="PaymentId"/> or by its short offer code.</summary>
/// <param name="Request">The signed request, with its details (what <see cref="PaymentRequest.EncodeOffer"/> serves).</param>
/// <param name="Code">The short offer code: <see cref="AccreditedProvider.OfferCodeLength"/> characters of a lower-case base-32 alphabet, drawn at random.</param>
public sealed record PaymentOffer(PaymentRequest Request, string Code);
