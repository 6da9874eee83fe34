namespace Wallet.Protocol.Statements;

/// <summary>One honoured withdrawal on a statement, as its withdrawal receipt states it.</summary>
/// <param name="Key">The withdrawal's idempotency key.</param>
/// <param name="Total">The amount debited.</param>
/// <param name="IssuedAt">When the scheme signed the withdrawal's receipt.</param>
public sealed record StatementWithdrawal(IdempotencyKey Key, Amount Total, DateTimeOffset IssuedAt);
