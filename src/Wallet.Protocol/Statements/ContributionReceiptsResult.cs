namespace Wallet.Protocol.Statements;

/// <summary>The outcome of a request for contribution receipts.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Receipts">The period's receipts, ordered by day, then ledger key; empty unless <paramref name="Status"/> is <see cref="StatementStatus.Answered"/>.</param>
public sealed record ContributionReceiptsResult(StatementStatus Status, IReadOnlyList<ContributionReceipt> Receipts);
