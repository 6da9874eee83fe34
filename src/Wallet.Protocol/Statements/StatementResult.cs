namespace Wallet.Protocol.Statements;

/// <summary>The outcome of a statement request.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Statement">The signed statement when <paramref name="Status"/> is <see cref="StatementStatus.Answered"/>; null otherwise.</param>
public sealed record StatementResult(StatementStatus Status, WorkerStatement? Statement);
