namespace Wallet.Protocol.Audit;

/// <summary>One violation: where (log index, or the tree size for a tree head), what, and a precise description.</summary>
/// <param name="Position">The log entry index, or for tree-head violations the head's tree size.</param>
/// <param name="Kind">What was violated.</param>
/// <param name="Detail">A description naming the keyset, coin or version concerned (public values only).</param>
public sealed record AuditViolation(ulong Position, AuditViolationKind Kind, string Detail);
