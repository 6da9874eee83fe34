namespace Wallet.Audit.Tool.Verify;

/// <summary>What verify found: every check in order, the auditor's replay, and the log entries it replayed.</summary>
internal sealed record VerifyOutcome(IReadOnlyList<CheckResult> Checks, AuditReport Audit, IReadOnlyList<LogEntry> Entries)
{
    /// <summary>Whether every check passed.</summary>
    public bool Passed => Checks.All(c => c.Passed);
}
