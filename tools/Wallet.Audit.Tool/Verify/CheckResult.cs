namespace Wallet.Audit.Tool.Verify;

/// <summary>The outcome of one check of the mirror.</summary>
/// <param name="Name">The check's stable name, such as <c>checkpoint-signatures</c> or <c>audit/DuplicateSpend</c>.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Detail">What was checked, or what failed (public values only).</param>
internal sealed record CheckResult(string Name, bool Passed, string Detail);
