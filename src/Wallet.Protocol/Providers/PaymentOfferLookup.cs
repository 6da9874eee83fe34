namespace Wallet.Protocol.Providers;

/// <summary>What a provider answers a wallet fetching a published payment request.</summary>
/// <param name="Status">Where the request stands.</param>
/// <param name="Offer">The published request, exactly when <paramref name="Status"/> is <see cref="PaymentOfferStatus.Open"/>.</param>
public sealed record PaymentOfferLookup(PaymentOfferStatus Status, PaymentOffer? Offer);
