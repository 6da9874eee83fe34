using Wallet.Protocol.Log;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Tests.EndToEnd;
using static Wallet.Protocol.Tests.Allocation.DefaultAllocationTests;

namespace Wallet.Protocol.Tests.Allocation;

/// <summary>A round over profiles of several jobs (docs/PROTOCOL.md 5.24): split by the signed rule, one entry per worker, logged per provider.</summary>
public sealed class SeveralJobsAllocationTests
{
    [Fact]
    public async Task TwoJobBalanceIsSplitByTheTablesRuleInOneEntryAndLoggedPerProvider()
    {
        using var world = await WorldAsync();
        await PublishRuleAsync(world, SeveralJobsRule.EqualSplit);
        var twoJobs = new AccountId("worker-2");
        var oneJob = new AccountId("worker-3");
        await world.NewWalletAsync(twoJobs.Value, 501);
        await world.NewWalletAsync(oneJob.Value, 300);
        DefaultAllocationInput[] inputs =
        [
            new(twoJobs, [new DefaultAllocationJob("retail", "south"), new DefaultAllocationJob("care", "north")]),
            new(oneJob, "care", "south"),
        ];
        long head = (await world.Ledger.GetHeadAsync()).Sequence;

        var record = await world.Scheme.AllocateUnwithdrawnAsync("epoch-1", inputs);
        var retried = await world.Scheme.AllocateUnwithdrawnAsync("epoch-1", inputs);

        // care sorts first, so it takes the odd minor unit: 251 to the trainer, 250 to union-a, and worker-3's 300.
        Assert.Equal(
            [new ProviderShare(world.Trainer.Record.Id, Amount.FromMinorUnits(551)), new ProviderShare(world.UnionA.Record.Id, Amount.FromMinorUnits(250))],
            record!.Shares.ToArray());
        Assert.Equal(record.Shares.ToArray(), retried!.Shares.ToArray());
        Assert.Equal(head + 2, (await world.Ledger.GetHeadAsync()).Sequence);
        Assert.Equal(0, await world.Scheme.GetWorkerBalanceAsync(twoJobs));
        var split = await world.Ledger.FindEntryAsync(Wallet.Protocol.Flows.SchemeContext.LedgerKey("u", "epoch-1", new IdempotencyKey(twoJobs.Value)));
        Assert.Equal(3, split!.Postings.Count);
        Assert.True((await world.Ledger.VerifyAsync()).IsValid);
        var entries = await EntriesAsync(world);
        var report = Auditor(world).Audit(entries, []);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
        string text = System.Text.Encoding.ASCII.GetString(Assert.Single(entries, e => e.Kind == LogEntryKind.DefaultAllocated).Encode());
        Assert.DoesNotContain("worker-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("retail", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProRataFollowsTheProfilesWeightsAndJobsOfOneProviderAddUp()
    {
        using var world = await WorldAsync();
        await PublishRuleAsync(world, SeveralJobsRule.ProRata);
        var worker = new AccountId("worker-2");
        await world.NewWalletAsync(worker.Value, 1000);

        var record = await world.Scheme.AllocateUnwithdrawnAsync("epoch-1",
        [
            new(worker, [new DefaultAllocationJob("retail", "south", 3), new DefaultAllocationJob("transport", "east", 1), new DefaultAllocationJob("care", "north", 1)]),
        ]);

        // retail and transport both resolve to union-a: 600 + 200 in one posting; care 200 to the trainer.
        Assert.Equal(
            [new ProviderShare(world.Trainer.Record.Id, Amount.FromMinorUnits(200)), new ProviderShare(world.UnionA.Record.Id, Amount.FromMinorUnits(800))],
            record!.Shares.ToArray());
        var entry = await world.Ledger.FindEntryAsync(Wallet.Protocol.Flows.SchemeContext.LedgerKey("u", "epoch-1", new IdempotencyKey(worker.Value)));
        Assert.Equal(3, entry!.Postings.Count);
    }

    [Fact]
    public async Task VersionOneTableSendsASeveralJobProfileToItsFirstJob()
    {
        using var world = await WorldAsync();
        await PublishAsync(world, 1, ("*", "*", "union-a"), ("care", "*", "trainer"));
        var worker = new AccountId("worker-2");
        await world.NewWalletAsync(worker.Value, 400);

        var record = await world.Scheme.AllocateUnwithdrawnAsync("epoch-1", [new(worker, [new DefaultAllocationJob("retail", "south"), new DefaultAllocationJob("care", "north")])]);

        Assert.Equal([new ProviderShare(world.Trainer.Record.Id, Amount.FromMinorUnits(400))], record!.Shares.ToArray());
    }

    private static async Task PublishRuleAsync(ProtocolWorld world, SeveralJobsRule rule)
    {
        var table = DefaultAllocationTable.Sign(1, ProtocolWorld.Start.AddDays(-1),
            [new DefaultAllocationRule("*", "*", new AccountId("union-a")), new DefaultAllocationRule("care", "*", new AccountId("trainer"))], rule, world.AccreditationKey);
        Assert.True(await world.Scheme.PublishAllocationTableAsync(table));
    }
}
