namespace Wallet.Protocol.Deposits;

/// <summary>What a deposit did with one payment of its batch: the coins spent against one payment request.</summary>
/// <param name="Payment">The payment, named by its request's hash.</param>
/// <param name="Status">The payment's outcome.</param>
/// <param name="Reason">Why the payment was rejected, when <paramref name="Status"/> is <see cref="DepositPaymentStatus.Rejected"/>; otherwise <see langword="null"/>.</param>
/// <param name="DoubleSpendProofs">A verifiable proof per doubly spent coin, when <paramref name="Status"/> is <see cref="DepositPaymentStatus.DoubleSpend"/>; otherwise empty.</param>
public sealed record DepositPaymentOutcome(
    PaymentId Payment,
    DepositPaymentStatus Status,
    DepositRejectionReason? Reason,
    IReadOnlyList<DoubleSpendProof> DoubleSpendProofs);
