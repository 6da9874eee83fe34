namespace Wallet.Protocol.Providers;

/// <summary>The outcome of <see cref="AccreditedProvider.IssueRefundAsync"/>.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Refund">The signed refund when <paramref name="Status"/> is <see cref="RefundIssuanceStatus.Issued"/>.</param>
public sealed record RefundIssuance(RefundIssuanceStatus Status, ProviderRefund? Refund);
