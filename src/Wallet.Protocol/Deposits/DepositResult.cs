namespace Wallet.Protocol.Deposits;

/// <summary>A deposit outcome: the batch's status and each payment's outcome (<see cref="Payments"/>).</summary>
/// <param name="Status">The outcome: <see cref="DepositStatus.Accepted"/> when at least one payment was credited (the receipt names them); otherwise why none was.</param>
/// <param name="Receipt">The signed receipt when accepted.</param>
/// <param name="Rejections">Every spend of each rejected payment, by batch index and with the payment's reason, in index order.</param>
/// <param name="DoubleSpendProofs">A verifiable proof per doubly spent coin: those of every <see cref="DepositPaymentStatus.DoubleSpend"/> payment, in payment order.</param>
public sealed record DepositResult(
    DepositStatus Status,
    DepositReceipt? Receipt,
    IReadOnlyList<DepositRejection> Rejections,
    IReadOnlyList<DoubleSpendProof> DoubleSpendProofs)
{
    /// <summary>Gets the outcome of each payment in the batch, one per distinct payment request, in ascending <see cref="PaymentId"/> order (never the order the batch listed them in).</summary>
    /// <remarks>Empty when the batch as a whole was refused before any payment was judged (for example <see cref="DepositStatus.IdempotencyKeyReused"/>).</remarks>
    public IReadOnlyList<DepositPaymentOutcome> Payments { get; init; } = [];
}
