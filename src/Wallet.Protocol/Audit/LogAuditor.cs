namespace Wallet.Protocol.Audit;

/// <summary>
/// The auditor role: replays the public log and tree heads alone and checks the audit properties of DESIGN.md
/// section 3: tree heads signed and consistent with the log; keysets and registries properly signed; every spent
/// coin carries a valid issuer signature and appears once; per keyset, coins spent (deposited, swapped or recovered)
/// never exceed coins issued (withdrawn or swapped in); reversed withdrawals (paid for, never issued) are counted apart; every swap conserves value per fund;
/// windows respected; a registry was in force at every deposit; payouts go to registered providers and never exceed what providers were credited (5.18); every ledger checkpoint signed, in order, and equal to
/// what the log before it gives (docs/PROTOCOL.md 5.15). Every violation is reported, not just the first.
/// </summary>
/// <remarks>
/// The log deliberately carries no provider per coin (coercion resistance), so "every deposit went to an accredited
/// provider" is checked by the scheme per deposit and, here, only as "a registry was in force"; see docs/PROTOCOL.md "Audit".
/// </remarks>
public sealed class LogAuditor
{
    private readonly Ed25519PublicKey _schemeKey;
    private readonly Ed25519PublicKey _accreditationKey;

    /// <summary>Creates an auditor for one scheme.</summary>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public LogAuditor(Ed25519PublicKey schemeKey, Ed25519PublicKey accreditationKey)
    {
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentNullException.ThrowIfNull(accreditationKey);
        _schemeKey = schemeKey;
        _accreditationKey = accreditationKey;
    }

    /// <summary>Replays <paramref name="entries"/> (the whole log, in order) against <paramref name="treeHeads"/>.</summary>
    /// <param name="entries">Every log entry from index 0.</param>
    /// <param name="treeHeads">Signed tree heads collected over time (by wallets, providers, the auditor itself).</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public AuditReport Audit(IReadOnlyList<LogEntry> entries, IReadOnlyList<SignedTreeHead> treeHeads)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(treeHeads);
        using var tally = new AuditTally();
        var leaves = entries.Select(e => e.LeafHash()).ToArray();
        foreach (var head in treeHeads)
        {
            if (!head.Verify(_schemeKey))
            {
                tally.Add(head.TreeSize, AuditViolationKind.BadTreeHeadSignature, $"Tree head of size {head.TreeSize} is not signed by the scheme.");
            }
            else if (head.TreeSize > (ulong)leaves.Length || MerkleTree.ComputeRoot(leaves.AsSpan(0, (int)head.TreeSize)) != head.RootHash)
            {
                tally.Add(head.TreeSize, AuditViolationKind.TreeHeadMismatch, $"Tree head of size {head.TreeSize} has root {head.RootHash}, which the log does not produce.");
            }
        }

        Replay(entries, tally, new AllocationChecks(_accreditationKey), new LedgerReconciliation(), new FundsChecks(_accreditationKey));
        return new AuditReport(
            (ulong)entries.Count,
            tally.Violations,
            [.. tally.Order.Select(k => new KeysetAudit(k, tally.Issued.GetValueOrDefault(k), tally.Spent.GetValueOrDefault(k), tally.Reversed.GetValueOrDefault(k)))]);
    }

    private void Replay(IReadOnlyList<LogEntry> entries, AuditTally tally, AllocationChecks allocations, LedgerReconciliation ledger, FundsChecks funds)
    {
        var violations = tally.Violations;
        var keysets = tally.Keysets;
        AccreditationRegistry? registry = null;
        var named = new HashSet<AccountId>();
        for (int i = 0; i < entries.Count; i++)
        {
            ulong at = (ulong)i;
            var entry = entries[i];
            if (entry.Kind == LogEntryKind.LedgerCheckpoint)
            {
                AuditLedgerCheckpoint(at, entry.LedgerCheckpoint!, ledger, tally);
            }

            ledger.Observe(entry);
            switch (entry.Kind)
            {
                case LogEntryKind.LedgerCheckpoint:
                    break;
                case LogEntryKind.KeysetAnnounced:
                    var descriptor = entry.Keyset!.Descriptor;
                    if (!entry.Keyset.Verify(_schemeKey) || !keysets.TryAdd(descriptor.Id, descriptor))
                    {
                        violations.Add(new(at, AuditViolationKind.BadKeysetAnnouncement, $"Keyset {descriptor.Id} is unsigned or announced twice."));
                    }
                    else
                    {
                        tally.Order.Add(descriptor.Id);
                    }

                    break;
                case LogEntryKind.RegistryPublished:
                    var next = entry.Registry!;
                    if (!next.Verify(_accreditationKey) || (registry is not null && next.Version <= registry.Version))
                    {
                        violations.Add(new(at, AuditViolationKind.BadRegistry, $"Registry version {next.Version} is unsigned or does not increase."));
                    }
                    else
                    {
                        registry = next;
                        named.UnionWith(next.Providers.Select(p => p.Id));
                    }

                    break;
                case LogEntryKind.KeysetExpired:
                    var expiry = entry.Expiry!;
                    if (!keysets.TryGetValue(expiry.Keyset, out var closed))
                    {
                        violations.Add(new(at, AuditViolationKind.UnknownKeyset, $"Expiry of unannounced keyset {expiry.Keyset}."));
                        break;
                    }

                    allocations.OnExpiry(expiry);
                    long unspent = (tally.Issued.GetValueOrDefault(expiry.Keyset) - tally.Spent.GetValueOrDefault(expiry.Keyset)) * closed.Denomination.MinorUnits;
                    if (expiry.Value.MinorUnits != unspent || closed.IsDepositable(expiry.ExpiredAt))
                    {
                        violations.Add(new(at, AuditViolationKind.ExpiryMismatch, $"Keyset {expiry.Keyset} expired {expiry.Value} at {expiry.ExpiredAt:O}; the log gives {unspent} unspent."));
                    }

                    break;
                case LogEntryKind.AllocationTablePublished:
                    allocations.OnTable(at, entry.AllocationTable!, violations);
                    break;
                case LogEntryKind.DefaultAllocated:
                    allocations.OnAllocation(at, entry.Allocation!, keysets, registry, violations);
                    break;
                case LogEntryKind.FundsTablePublished:
                    funds.OnTable(at, entry.FundsTable!, violations);
                    break;
                case LogEntryKind.CoinsIssued:
                    funds.OnIssuance(at, entry.Issuance!, keysets, violations);
                    foreach (var (keyset, count) in entry.Issuance!.Counts)
                    {
                        tally.Issue(at, keyset, count, entry.Issuance.IssuedAt, bySwap: false);
                    }

                    break;
                case LogEntryKind.CoinsSwapped:
                    AuditSwap(at, entry.Swap!, tally);
                    break;
                case LogEntryKind.RefundIssued:
                    AuditRefund(at, entry.Refund!, registry, ledger, tally);
                    break;
                case LogEntryKind.ProvidersPaidOut:
                    AuditPayouts(at, entry.ProvidersPaidOut!, named, ledger.Payable, tally);
                    break;
                case LogEntryKind.WithdrawalReversed:
                    foreach (var (keyset, count) in entry.Reversal!.Counts)
                    {
                        tally.Reverse(at, keyset, count);
                    }

                    break;
                default:
                    var record = entry.SpentCoins!;
                    if (registry is null || registry.IssuedAt > record.SpentAt)
                    {
                        violations.Add(new(at, AuditViolationKind.NoRegistryInForce, "Coins deposited while no registry was in force."));
                    }

                    foreach (var coin in record.Coins)
                    {
                        tally.Spend(at, coin, record.SpentAt, "deposited");
                    }

                    break;
            }
        }
    }

    // docs/PROTOCOL.md 5.15: the checkpoint against the log before it; a bad signature is reported and the figures
    // are still checked, so a forged checkpoint that also misstates the books shows both.
    private void AuditLedgerCheckpoint(ulong at, LedgerCheckpointRecord record, LedgerReconciliation ledger, AuditTally tally)
    {
        if (!record.Verify(_schemeKey))
        {
            tally.Add(at, AuditViolationKind.BadLedgerCheckpointSignature, $"Ledger checkpoint #{record.Sequence} is not signed by the scheme.");
        }

        foreach (var (kind, detail) in ledger.Check(at, record))
        {
            tally.Add(at, kind, detail);
        }
    }

    // docs/PROTOCOL.md 5.17: a refund's outputs count as issued; its value must be what they are worth, of one fund, for
    // an accredited provider, and never more than the payable the log implies (checked after the fold, which already
    // took the refund off).
    private static void AuditRefund(ulong at, RefundRecord record, AccreditationRegistry? registry, LedgerReconciliation ledger, AuditTally tally)
    {
        if (registry?.Find(record.Provider) is null)
        {
            tally.Add(at, AuditViolationKind.RefundUnknownProvider, $"Refund by {record.Provider}, whom no registry in force accredits.");
        }

        long value = 0;
        var funds = new HashSet<string>(StringComparer.Ordinal);
        bool complete = true;
        foreach (var (keyset, count) in record.Counts)
        {
            if (tally.Issue(at, keyset, count, record.RefundedAt, bySwap: true) is not { } d)
            {
                complete = false;
                continue;
            }

            value += count * d.Denomination.MinorUnits;
            funds.Add(d.Fund);
        }

        if (complete && value != record.Amount.MinorUnits)
        {
            tally.Add(at, AuditViolationKind.RefundValueMismatch, $"Refund by {record.Provider} of {record.Amount} issues coins worth {value}.");
        }

        if (funds.Count > 1)
        {
            tally.Add(at, AuditViolationKind.RefundMixedFunds, $"Refund by {record.Provider} issues coins of {funds.Count} funds.");
        }

        if (ledger.Payable.Payable < 0)
        {
            tally.Add(at, AuditViolationKind.RefundExceedsPayable, $"Refund by {record.Provider} of {record.Amount} leaves providers' payable at {ledger.Payable}.");
        }
    }

    // docs/PROTOCOL.md 5.18: money leaves the scheme only to a provider it accredited, and never more than the log
    // credited to providers (the fold already counts this record).
    private static void AuditPayouts(ulong at, ProvidersPaidOutRecord record, HashSet<AccountId> named, PayableTerms payable, AuditTally tally)
    {
        foreach (var payout in record.Payouts.Where(p => !named.Contains(p.Provider)))
        {
            tally.Add(at, AuditViolationKind.PayoutToUnknownProvider, $"Payout of {payout.Amount} to provider {payout.Provider}, whom no registry before it named.");
        }

        if (payable.Payable < 0)
        {
            tally.Add(at, AuditViolationKind.PayoutExceedsPayable, $"Payouts exceed what the log credited to providers: {payable}.");
        }
    }

    // Inputs count as spent and outputs as issued in the per-keyset checks; value must balance within every fund.
    private static void AuditSwap(ulong at, SwapRecord record, AuditTally tally)
    {
        var perFund = new Dictionary<string, long>(StringComparer.Ordinal);
        bool complete = true;
        foreach (var coin in record.Inputs)
        {
            if (tally.Spend(at, coin, record.SwappedAt, record.IsRecovery ? "recovered" : "swapped") is { } d)
            {
                perFund[d.Fund] = perFund.GetValueOrDefault(d.Fund) + d.Denomination.MinorUnits;
            }
            else
            {
                complete = false;
            }
        }

        foreach (var (keyset, count) in record.Outputs)
        {
            if (tally.Issue(at, keyset, count, record.SwappedAt, bySwap: true) is not { } d)
            {
                complete = false;
                continue;
            }

            perFund[d.Fund] = perFund.GetValueOrDefault(d.Fund) - (count * d.Denomination.MinorUnits);
        }

        if (complete && perFund.Values.Any(v => v != 0))
        {
            tally.Add(at, AuditViolationKind.SwapValueMismatch, $"A swap of {record.Inputs.Length} coins does not conserve value per fund.");
        }
    }
}
