namespace Wallet.Protocol.Audit;

/// <summary>The outcome of replaying a log: every violation found and the recomputed per-keyset totals.</summary>
/// <param name="EntriesChecked">How many log entries were replayed.</param>
/// <param name="Violations">Every violation, in log order.</param>
/// <param name="Keysets">Totals per keyset, in announcement order.</param>
public sealed record AuditReport(ulong EntriesChecked, IReadOnlyList<AuditViolation> Violations, IReadOnlyList<KeysetAudit> Keysets)
{
    /// <summary>Whether no violation was found.</summary>
    public bool IsClean => Violations.Count == 0;
}
