using Wallet.Crypto.Signing;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Log;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Audit;

/// <summary>
/// The auditor's reconciliation of ledger checkpoints (docs/PROTOCOL.md 5.15): an honest checkpoint the scheme logged,
/// re-signed with one figure changed, gives exactly the violation that figure breaks.
/// </summary>
public sealed class LedgerCheckpointAuditTests
{
    [Fact]
    public async Task TheHonestCheckpointIsClean()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            Assert.Empty(Audit(world, entries));
        }
    }

    [Fact]
    public async Task AWrongKeysetTotalIsReported()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var last = entries[^1].LedgerCheckpoint!;
            var keyset = last.Keysets[0].Keyset;
            var forged = Resign(world.SchemeKey, last, keysets: last.Keysets.Select(k => k.Keyset == keyset ? (k.Keyset, k.Outstanding + Amount.FromMinorUnits(100)) : k));

            var kinds = Kinds(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(forged)]));

            Assert.Equal([AuditViolationKind.LedgerCheckpointUnbalanced, AuditViolationKind.LedgerCheckpointKeysetMismatch], kinds);
        }
    }

    [Fact]
    public async Task AWrongFundIsReported()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var last = entries[^1].LedgerCheckpoint!;
            // Value moved from one fund to the other: every sum still agrees, the split by fund does not.
            var forged = Resign(world.SchemeKey, last, funds: [.. last.Funds.Select(f => (f.Fund, Amount.FromMinorUnits(f.Outstanding.MinorUnits + (f.Fund == "general" ? -50 : 50))))]);

            Assert.Equal([AuditViolationKind.LedgerCheckpointFundMismatch, AuditViolationKind.LedgerCheckpointFundMismatch], Kinds(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(forged)])));
        }
    }

    [Fact]
    public async Task ACheckpointNotSignedByTheSchemeIsReported()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            using var other = Ed25519SigningKey.Generate();
            var forged = Resign(other, entries[^1].LedgerCheckpoint!);

            var violation = Assert.Single(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(forged)]));

            Assert.Equal((AuditViolationKind.BadLedgerCheckpointSignature, (ulong)entries.Count - 1), (violation.Kind, violation.Position));
        }
    }

    [Fact]
    public async Task AJournalGoingBackIsReported()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var first = entries.First(e => e.Kind == LogEntryKind.LedgerCheckpoint).LedgerCheckpoint!;
            var last = entries[^1].LedgerCheckpoint!;
            var shorter = Resign(world.SchemeKey, last, journalEntries: first.JournalEntries - 1);
            var sameCountOtherHead = Resign(world.SchemeKey, last, journalEntries: first.JournalEntries);

            Assert.Equal([AuditViolationKind.LedgerCheckpointJournalRewound], Kinds(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(shorter)])));
            Assert.Equal([AuditViolationKind.LedgerCheckpointJournalRewound], Kinds(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(sameCountOtherHead)])));
        }
    }

    [Fact]
    public async Task TotalsThatDoNotSumToZeroAreReported()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var last = entries[^1].LedgerCheckpoint!;
            var forged = Resign(world.SchemeKey, last, totals: last.Totals.Select(t => t.Kind == LedgerTotalKind.Worker ? (t.Kind, t.Balance + 1) : t));

            Assert.Equal([AuditViolationKind.LedgerCheckpointUnbalanced], Kinds(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(forged)])));
        }
    }

    [Fact]
    public async Task AProviderPayableTheLogDoesNotGiveIsReportedEvenWhenBalanced()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var last = entries[^1].LedgerCheckpoint!;
            var forged = Resign(world.SchemeKey, last, totals: last.Totals.Select(t => t.Kind switch
            {
                LedgerTotalKind.ProviderPayable => (t.Kind, t.Balance - 100),
                LedgerTotalKind.Worker => (t.Kind, t.Balance + 100),
                _ => t,
            }));

            Assert.Equal([AuditViolationKind.LedgerCheckpointTotalMismatch], Kinds(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(forged)])));
        }
    }

    [Fact]
    public async Task ACheckpointOutOfSequenceOrPlaceIsReported()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var last = entries[^1].LedgerCheckpoint!;

            Assert.Equal([AuditViolationKind.LedgerCheckpointOutOfOrder], Kinds(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(Resign(world.SchemeKey, last, sequence: last.Sequence + 1))])));
            Assert.Equal([AuditViolationKind.LedgerCheckpointOutOfOrder], Kinds(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(Resign(world.SchemeKey, last, logSize: last.LogSize - 1))])));
        }
    }

    [Fact]
    public async Task ACheckpointLoggedBeforeTheEntriesItCountsIsReported()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            // The last checkpoint moved before the deposit it counts: the payable and the keyset no longer reconcile.
            int deposit = entries.FindLastIndex(e => e.Kind == LogEntryKind.CoinsSpent);
            var moved = Resign(world.SchemeKey, entries[^1].LedgerCheckpoint!, logSize: (ulong)deposit);
            List<LogEntry> reordered = [.. entries[..deposit], LogEntry.ForLedgerCheckpoint(moved), .. entries[deposit..^1]];

            var kinds = Kinds(Audit(world, reordered));

            Assert.Contains(AuditViolationKind.LedgerCheckpointKeysetMismatch, kinds);
            Assert.Contains(AuditViolationKind.LedgerCheckpointTotalMismatch, kinds);
        }
    }

    private static IReadOnlyList<AuditViolation> Audit(ProtocolWorld world, IReadOnlyList<LogEntry> entries) =>
        DefaultAllocationTests.Auditor(world).Audit(entries, []).Violations;

    private static AuditViolationKind[] Kinds(IReadOnlyList<AuditViolation> violations) => [.. violations.Select(v => v.Kind).Order()];

    private static LedgerCheckpointRecord Resign(
        Ed25519SigningKey key,
        LedgerCheckpointRecord r,
        ulong? sequence = null,
        ulong? logSize = null,
        ulong? journalEntries = null,
        IEnumerable<(LedgerTotalKind, long)>? totals = null,
        IEnumerable<(KeysetId, Amount)>? keysets = null,
        IEnumerable<(string, Amount)>? funds = null) =>
        LedgerCheckpointRecord.Sign(sequence ?? r.Sequence, r.TakenAt, logSize ?? r.LogSize, journalEntries ?? r.JournalEntries, r.JournalHeadHash, totals ?? r.Totals, keysets ?? r.Keysets, funds ?? r.Funds, key);

    /// <summary>Two checkpoints around a withdrawal of general and training coins, a payment and its deposit; the last entry is the second checkpoint.</summary>
    private static async Task<(ProtocolWorld World, List<LogEntry> Entries)> ScenarioAsync()
    {
        var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.Training100);
        Assert.NotNull(await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1")));
        await world.PayAsync(wallet, world.UnionA, 100);
        await world.DepositAsync(world.UnionA, "d1");
        Assert.NotNull(await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-2")));
        return (world, await DefaultAllocationTests.EntriesAsync(world));
    }
}
