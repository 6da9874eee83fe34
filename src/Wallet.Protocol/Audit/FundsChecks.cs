namespace Wallet.Protocol.Audit;

/// <summary>
/// The auditor's replay of ring-fenced funds (docs/PROTOCOL.md 5.22): funds tables signed by the accreditation body,
/// with increasing versions and times; and, once a table is in force, no withdrawal issues coins of a restricted fund
/// that no contribution source is sent to (such coins could only have been paid with another fund's money).
/// </summary>
internal sealed class FundsChecks(Ed25519PublicKey accreditationKey)
{
    private readonly List<FundsTable> _tables = [];

    public void OnTable(ulong at, FundsTable table, List<AuditViolation> violations)
    {
        var last = _tables.Count == 0 ? null : _tables[^1];
        if (!table.Verify(accreditationKey) || (last is not null && (table.Version <= last.Version || table.IssuedAt <= last.IssuedAt)))
        {
            violations.Add(new(at, AuditViolationKind.BadFundsTable, $"Funds table version {table.Version} is unsigned or its version or time does not increase."));
            return;
        }

        _tables.Add(table);
    }

    public void OnIssuance(ulong at, IssuanceRecord record, IReadOnlyDictionary<KeysetId, KeysetDescriptor> keysets, List<AuditViolation> violations)
    {
        var table = _tables.LastOrDefault(t => t.IssuedAt <= record.IssuedAt);
        if (table is null)
        {
            // Before any funds table every contribution was general; logs written before funds existed stay clean.
            return;
        }

        var funded = table.Funds();
        foreach (var (keyset, _) in record.Counts)
        {
            if (keysets.TryGetValue(keyset, out var descriptor) && !funded.Contains(descriptor.Fund, StringComparer.Ordinal))
            {
                violations.Add(new(at, AuditViolationKind.UnfundedFundIssued, $"Coins of keyset {keyset} (fund {descriptor.Fund}) were withdrawn, but funds table version {table.Version} sends no contribution to that fund."));
            }
        }
    }
}
