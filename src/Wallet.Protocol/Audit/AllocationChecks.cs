namespace Wallet.Protocol.Audit;

/// <summary>
/// The auditor's replay of default allocation (docs/PROTOCOL.md section 5.9): tables signed and increasing; every
/// allocation made under the table in force; an expired keyset allocated once, after its expiry, for exactly its
/// expired value, to the provider the table's wildcard row names (or the pool when that provider could not take it);
/// a round of balances paying only providers the table names and the registry accredits.
/// </summary>
internal sealed class AllocationChecks(Ed25519PublicKey accreditationKey)
{
    private readonly List<DefaultAllocationTable> _tables = [];
    private readonly Dictionary<KeysetId, long> _expired = [];
    private readonly HashSet<KeysetId> _allocatedKeysets = [];
    private readonly HashSet<string> _rounds = new(StringComparer.Ordinal);

    public void OnTable(ulong at, DefaultAllocationTable table, List<AuditViolation> violations)
    {
        var last = _tables.Count == 0 ? null : _tables[^1];
        if (!table.Verify(accreditationKey) || (last is not null && (table.Version <= last.Version || table.IssuedAt < last.IssuedAt)))
        {
            violations.Add(new(at, AuditViolationKind.BadAllocationTable, $"Default-allocation table version {table.Version} is unsigned or does not increase."));
            return;
        }

        _tables.Add(table);
    }

    public void OnExpiry(ExpiryRecord expiry) => _expired.TryAdd(expiry.Keyset, expiry.Value.MinorUnits);

    public void OnAllocation(ulong at, DefaultAllocationRecord record, IReadOnlyDictionary<KeysetId, KeysetDescriptor> keysets, AccreditationRegistry? registry, List<AuditViolation> violations)
    {
        var table = _tables.LastOrDefault(t => t.IssuedAt <= record.AllocatedAt);
        if (table is null || table.Version != record.TableVersion)
        {
            violations.Add(new(at, AuditViolationKind.NoAllocationTableInForce, $"Allocation under table version {record.TableVersion}; the table in force at {record.AllocatedAt:O} is {(table is null ? "none" : $"version {table.Version}")}."));
            return;
        }

        if (record.Source == DefaultAllocationSource.ExpiredKeyset)
        {
            CheckKeyset(at, record, table, keysets, registry, violations);
        }
        else
        {
            CheckRound(at, record, table, registry, violations);
        }
    }

    private static bool CanTake(AccreditationRegistry? registry, AccountId provider, string fund, DateTimeOffset at) =>
        registry?.Find(provider) is { } found && found.IsValidAt(at) && found.Accepts(fund);

    private void CheckKeyset(ulong at, DefaultAllocationRecord record, DefaultAllocationTable table, IReadOnlyDictionary<KeysetId, KeysetDescriptor> keysets, AccreditationRegistry? registry, List<AuditViolation> violations)
    {
        var keyset = record.Keyset!;
        if (!keysets.TryGetValue(keyset, out var descriptor))
        {
            violations.Add(new(at, AuditViolationKind.UnknownKeyset, $"Default allocation of unannounced keyset {keyset}."));
            return;
        }

        if (!_allocatedKeysets.Add(keyset))
        {
            violations.Add(new(at, AuditViolationKind.AllocationMismatch, $"Keyset {keyset} is allocated again."));
            return;
        }

        if (!_expired.TryGetValue(keyset, out long expired))
        {
            violations.Add(new(at, AuditViolationKind.AllocationMismatch, $"Keyset {keyset} is allocated before its expiry is logged."));
            return;
        }

        if (record.Total.MinorUnits != expired)
        {
            violations.Add(new(at, AuditViolationKind.AllocationMismatch, $"Keyset {keyset}: {record.Total} allocated, {expired} expired."));
        }

        var resolved = table.Resolve(DefaultAllocationTable.Any, DefaultAllocationTable.Any);
        bool canTake = CanTake(registry, resolved, descriptor.Fund, record.AllocatedAt);
        bool shapeOk = canTake
            ? record.Pooled.MinorUnits == 0 && record.Shares.All(s => s.Provider == resolved)
            : record.Shares.IsEmpty;
        if (!shapeOk)
        {
            violations.Add(new(at, AuditViolationKind.AllocationWrongProvider, $"Keyset {keyset}: table version {table.Version} directs it to {(canTake ? resolved.Value : "the default pool")}, the record pays {string.Join(", ", record.Shares.Select(s => s.Provider.Value).DefaultIfEmpty("the pool"))}."));
        }
    }

    private void CheckRound(ulong at, DefaultAllocationRecord record, DefaultAllocationTable table, AccreditationRegistry? registry, List<AuditViolation> violations)
    {
        if (!_rounds.Add(record.Round!))
        {
            violations.Add(new(at, AuditViolationKind.AllocationMismatch, $"Round {record.Round} is allocated again."));
        }

        // Which worker maps to which row is the scheme's knowledge, not the log's; what the log can prove is that
        // every payee is a provider the table names and the registry accredits.
        foreach (var share in record.Shares)
        {
            if (!table.Rules.Any(r => r.Provider == share.Provider) || !CanTake(registry, share.Provider, KeysetDescriptor.GeneralFund, record.AllocatedAt))
            {
                violations.Add(new(at, AuditViolationKind.AllocationWrongProvider, $"Round {record.Round} pays {share.Provider}, which table version {table.Version} does not name or the registry does not accredit."));
            }
        }
    }
}
