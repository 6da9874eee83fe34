namespace Wallet.Protocol.Deposits;

/// <summary>A deposit outcome.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Receipt">The signed receipt when accepted.</param>
/// <param name="Rejections">The refused coins when rejected.</param>
/// <param name="DoubleSpendProofs">A verifiable proof per doubly spent coin.</param>
public sealed record DepositResult(
    DepositStatus Status,
    DepositReceipt? Receipt,
    IReadOnlyList<DepositRejection> Rejections,
    IReadOnlyList<DoubleSpendProof> DoubleSpendProofs)
{
    /// <summary>Gets the outcome of each payment in the batch, one per distinct payment request, in the order of first appearance in the request.</summary>
    /// <remarks>Empty when the batch as a whole was refused before any payment was judged (for example <see cref="DepositStatus.IdempotencyKeyReused"/>).</remarks>
    public IReadOnlyList<DepositPaymentOutcome> Payments { get; init; } = [];
}
