namespace Wallet.Protocol.Providers;

/// <summary>A payment whose coins verified offline and that waits for a deposit: the request and the wallet's spends.</summary>
/// <param name="Request">The paid request.</param>
/// <param name="Spends">The spends, in the order the wallet sent them.</param>
public sealed record VerifiedPayment(PaymentRequest Request, IReadOnlyList<CoinSpend> Spends);
