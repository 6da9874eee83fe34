using Wallet.Crypto.Signing;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Log;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Audit;

/// <summary>The auditor's checks of default allocation against the table in force and the expired value.</summary>
public sealed class AllocationAuditTests
{
    [Fact]
    public async Task AllocationOfMoreThanTheExpiredValueIsAMismatch()
    {
        var (world, entries) = await ExpiredScenarioAsync();
        using (world)
        {
            var record = DefaultAllocationRecord.ForExpiredKeyset(world.General100.Id, 1, Now(world), [Share(world.UnionA, 250)], Amount.Zero);

            var violation = Assert.Single(Audit(world, entries, record));

            Assert.Equal(AuditViolationKind.AllocationMismatch, violation.Kind);
            Assert.Equal((ulong)entries.Count, violation.Position);
            Assert.Contains(world.General100.Id.ToString(), violation.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AllocationToAnotherProviderThanTheTableSaysIsReported()
    {
        var (world, entries) = await ExpiredScenarioAsync();
        using (world)
        {
            var record = DefaultAllocationRecord.ForExpiredKeyset(world.General100.Id, 1, Now(world), [Share(world.Trainer, 200)], Amount.Zero);

            Assert.Equal(AuditViolationKind.AllocationWrongProvider, Assert.Single(Audit(world, entries, record)).Kind);
        }
    }

    [Fact]
    public async Task PoolingValueTheAccreditedDefaultProviderCouldTakeIsReported()
    {
        var (world, entries) = await ExpiredScenarioAsync();
        using (world)
        {
            var record = DefaultAllocationRecord.ForExpiredKeyset(world.General100.Id, 1, Now(world), [], Amount.FromMinorUnits(200));

            Assert.Equal(AuditViolationKind.AllocationWrongProvider, Assert.Single(Audit(world, entries, record)).Kind);
        }
    }

    [Fact]
    public async Task AKeysetAllocatedTwiceIsReportedAtTheSecondRecord()
    {
        var (world, entries) = await ExpiredScenarioAsync();
        using (world)
        {
            var record = DefaultAllocationRecord.ForExpiredKeyset(world.General100.Id, 1, Now(world), [Share(world.UnionA, 200)], Amount.Zero);

            var violation = Assert.Single(Audit(world, entries, record, record));

            Assert.Equal(AuditViolationKind.AllocationMismatch, violation.Kind);
            Assert.Equal((ulong)entries.Count + 1, violation.Position);
        }
    }

    [Fact]
    public async Task AllocationBeforeTheExpiryIsLoggedIsAMismatch()
    {
        var (world, entries) = await ExpiredScenarioAsync();
        using (world)
        {
            var record = DefaultAllocationRecord.ForExpiredKeyset(world.General500.Id, 1, Now(world), [], Amount.Zero);

            Assert.Equal(AuditViolationKind.AllocationMismatch, Assert.Single(Audit(world, entries, record)).Kind);
        }
    }

    [Fact]
    public async Task AllocationUnderATableVersionNotInForceIsReported()
    {
        var (world, entries) = await ExpiredScenarioAsync();
        using (world)
        {
            var record = DefaultAllocationRecord.ForExpiredKeyset(world.General100.Id, 7, Now(world), [Share(world.UnionA, 200)], Amount.Zero);

            Assert.Equal(AuditViolationKind.NoAllocationTableInForce, Assert.Single(Audit(world, entries, record)).Kind);
        }
    }

    [Fact]
    public async Task TablesNotSignedByTheAccreditationBodyOrNotIncreasingAreReported()
    {
        var (world, entries) = await ExpiredScenarioAsync();
        using (world)
        {
            using var stranger = Ed25519SigningKey.Generate();
            var forged = DefaultAllocationTable.Sign(5, Now(world), [new("*", "*", world.Trainer.Record.Id)], stranger);
            var older = DefaultAllocationTable.Sign(1, Now(world), [new("*", "*", world.Trainer.Record.Id)], world.AccreditationKey);

            var report = DefaultAllocationTests.Auditor(world).Audit([.. entries, LogEntry.ForAllocationTable(forged), LogEntry.ForAllocationTable(older)], []);

            Assert.Equal([AuditViolationKind.BadAllocationTable, AuditViolationKind.BadAllocationTable], report.Violations.Select(v => v.Kind));
        }
    }

    [Fact]
    public async Task ARoundPayingAProviderTheTableDoesNotNameIsReported()
    {
        var (world, entries) = await ExpiredScenarioAsync();
        using (world)
        {
            var honest = DefaultAllocationRecord.ForUnwithdrawnBalances("epoch-1", 1, Now(world), [Share(world.UnionA, 900)], Amount.Zero);
            var dishonest = DefaultAllocationRecord.ForUnwithdrawnBalances("epoch-2", 1, Now(world), [Share(world.Trainer, 900)], Amount.Zero);

            Assert.Empty(Audit(world, entries, honest));
            var violation = Assert.Single(Audit(world, entries, dishonest));
            Assert.Equal(AuditViolationKind.AllocationWrongProvider, violation.Kind);
            Assert.Contains("trainer", violation.Detail, StringComparison.Ordinal);
            Assert.Equal(AuditViolationKind.AllocationMismatch, Assert.Single(Audit(world, entries, honest, honest)).Kind);
        }
    }

    [Fact]
    public async Task TheAllocationTheSchemeMakesPassesEveryCheck()
    {
        var (world, _) = await ExpiredScenarioAsync();
        using (world)
        {
            await world.Scheme.AllocateExpiredAsync(world.General100.Id);
            var entries = await DefaultAllocationTests.EntriesAsync(world);

            var report = DefaultAllocationTests.Auditor(world).Audit(entries, [await world.Scheme.GetTreeHeadAsync()]);

            Assert.True(report.IsClean, string.Join("; ", report.Violations));
            Assert.Equal(LogEntryKind.DefaultAllocated, entries[^1].Kind);
        }
    }

    private static IReadOnlyList<AuditViolation> Audit(ProtocolWorld world, List<LogEntry> entries, params DefaultAllocationRecord[] records) =>
        DefaultAllocationTests.Auditor(world).Audit([.. entries, .. records.Select(LogEntry.ForAllocation)], []).Violations;

    private static DateTimeOffset Now(ProtocolWorld world) => world.Time.GetUtcNow();

    private static ProviderShare Share(Protocol.Providers.AccreditedProvider provider, long amount) => new(provider.Record.Id, Amount.FromMinorUnits(amount));

    /// <summary>A table naming union-a for everyone; 3 coins of 100 issued, 1 spent, the keyset expired with 200 unspent.</summary>
    private static async Task<(ProtocolWorld World, List<LogEntry> Entries)> ExpiredScenarioAsync()
    {
        var world = await DefaultAllocationTests.WorldAsync();
        await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100);
        await world.PayAsync(wallet, world.UnionA, 100);
        await world.DepositAsync(world.UnionA, "d1");
        world.Time.Advance(TimeSpan.FromDays(91));
        Assert.Equal(200, (await world.Scheme.ExpireKeysetAsync(world.General100.Id))!.Value.MinorUnits);
        return (world, await DefaultAllocationTests.EntriesAsync(world));
    }
}
