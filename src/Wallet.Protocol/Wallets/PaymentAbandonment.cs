namespace Wallet.Protocol.Wallets;

/// <summary>What the wallet made of the scheme's answer to the swap that abandons a payment.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Refusal">The scheme's refusal, for <see cref="PaymentAbandonmentStatus.Refused"/> and <see cref="PaymentAbandonmentStatus.RetryLater"/>; null otherwise.</param>
public sealed record PaymentAbandonment(PaymentAbandonmentStatus Status, SwapStatus? Refusal);
