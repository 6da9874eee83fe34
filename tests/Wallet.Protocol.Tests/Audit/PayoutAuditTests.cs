using Wallet.Crypto.Merkle;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Audit;

/// <summary>
/// The auditor's view of payouts (docs/PROTOCOL.md 5.18): the log's ProvidersPaidOut records lower the providers'
/// payable, a ledger checkpoint's payable and payouts totals must equal deposits + allocations - payouts and the sum
/// of payouts, money leaves only to a provider a registry named, and never more than providers were credited.
/// </summary>
public sealed class PayoutAuditTests
{
    [Fact]
    public async Task AnHonestLogWithPayoutsAndACheckpointIsClean()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var checkpoint = entries[^1].LedgerCheckpoint!;
            Assert.Equal(400, checkpoint.TotalOf(LedgerTotalKind.Payouts));
            Assert.Equal(200, checkpoint.TotalOf(LedgerTotalKind.ProviderPayable));
            Assert.True(Audit(world, entries).IsClean);
        }
    }

    [Fact]
    public async Task ACheckpointWhosePayableIgnoresAPayoutIsFlagged()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            // The payout's record left out: the checkpoint (signed over the real books) states 200 payable and 400 paid
            // out, while the log before it gives 600 and nothing.
            var withoutPayout = entries.Where(e => e.Kind != LogEntryKind.ProvidersPaidOut).ToList();

            var report = Audit(world, withoutPayout);

            Assert.Contains(report.Violations, v => v.Kind == AuditViolationKind.LedgerCheckpointTotalMismatch && v.Detail.Contains("ProviderPayable total 200", StringComparison.Ordinal) && v.Detail.Contains("deposits 600 + allocations 0 - refunds 0 - payouts 0 = 600", StringComparison.Ordinal));
            Assert.Contains(report.Violations, v => v.Kind == AuditViolationKind.LedgerCheckpointTotalMismatch && v.Detail.Contains("Payouts total 400", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task APayoutToAProviderNoRegistryNamedIsFlagged()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var forged = LogEntry.ForPayouts(ProvidersPaidOutRecord.Create(world.Time.GetUtcNow(), [new ProviderShare(new AccountId("offshore-1"), Amount.FromMinorUnits(1))]));

            var report = Audit(world, [.. entries, forged]);

            var violation = Assert.Single(report.Violations);
            Assert.Equal((AuditViolationKind.PayoutToUnknownProvider, (ulong)entries.Count), (violation.Kind, violation.Position));
            Assert.Contains("offshore-1", violation.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PayoutsBeyondWhatProvidersWereCreditedAreFlagged()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            // 600 deposited, 400 paid out: 200 more is still covered, 201 is not.
            var covered = LogEntry.ForPayouts(ProvidersPaidOutRecord.Create(world.Time.GetUtcNow(), [new ProviderShare(world.UnionA.Record.Id, Amount.FromMinorUnits(200))]));
            var beyond = LogEntry.ForPayouts(ProvidersPaidOutRecord.Create(world.Time.GetUtcNow(), [new ProviderShare(world.UnionB.Record.Id, Amount.FromMinorUnits(1))]));

            Assert.True(Audit(world, [.. entries, covered]).IsClean);
            var report = Audit(world, [.. entries, covered, beyond]);

            var violation = Assert.Single(report.Violations);
            Assert.Equal((AuditViolationKind.PayoutExceedsPayable, (ulong)entries.Count + 1), (violation.Kind, violation.Position));
            Assert.Contains("= -1", violation.Detail, StringComparison.Ordinal);
        }
    }

    private static AuditReport Audit(ProtocolWorld world, IReadOnlyList<LogEntry> entries) =>
        new LogAuditor(world.Scheme.PublicKey, world.AccreditationKey.PublicKey).Audit(entries, []);

    // Union A is paid 600 and deposits it; 400 is paid out; a ledger checkpoint closes the log.
    private static async Task<(ProtocolWorld World, List<LogEntry> Entries)> ScenarioAsync()
    {
        var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, _) = await world.NewWalletAsync("worker-audit", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General500);
        await world.PayAsync(wallet, world.UnionA, 600);
        var (_, deposit) = await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(DepositStatus.Accepted, deposit.Status);
        Assert.True((await world.Scheme.PayoutAsync(new IdempotencyKey("po-1"), world.UnionA.Record.Id, Amount.FromMinorUnits(400))).Succeeded);
        Assert.NotNull(await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1")));

        var entries = new List<LogEntry>();
        for (ulong i = 0; await world.Scheme.GetLogEntryAsync(i) is { } entry; i++)
        {
            entries.Add(entry);
        }

        return (world, entries);
    }
}
