using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>
/// The wallet's own default-allocation plan for a worker with several jobs (docs/PROTOCOL.md 5.24): it splits the
/// expiring coins by the table's signed rule, so each provider is planned exactly what the scheme's round
/// (<c>AllocateUnwithdrawnAsync</c>, through <c>SchemeLedger.AllocateDefaultSplitAsync</c>) allocates it for the same
/// value and the same profile.
/// </summary>
public sealed class DefaultAllocationSeveralJobsPlanTests
{
    private static readonly DefaultAllocationJob[] TwoJobs = [new("retail", "south"), new("care", "north")];

    [Fact]
    public async Task EqualSplitPlanMatchesTheRoundsSplitProviderByProvider()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await PublishRuleAsync(world, SeveralJobsRule.EqualSplit);
        var wallet = await ExpiringWalletAsync(world, "worker-1", world.General100, world.General100, world.General100, world.General100);

        var plan = wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, TwoJobs, Amount.Zero);
        var round = await RoundAsync(world, 400, TwoJobs);

        Assert.Equal(DefaultAllocationPlanStatus.Ready, plan.Status);
        Assert.Equal(round, Planned(plan));
        Assert.Equal([(world.Trainer.Record.Id, 200L), (world.UnionA.Record.Id, 200L)], round);
        Assert.Null(plan.Provider);
        Assert.Equal(400, plan.Amount.MinorUnits);
        Assert.Equal(Amount.Zero, plan.LeftOver);
        Assert.Equal(4, plan.Parts.Count);
    }

    [Fact]
    public async Task ProRataPlanFollowsTheWeightsAsTheRoundDoes()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await PublishRuleAsync(world, SeveralJobsRule.ProRata);
        DefaultAllocationJob[] jobs = [new("retail", "south", 3), new("care", "north", 1)];
        var wallet = await ExpiringWalletAsync(world, "worker-1", world.General100, world.General100, world.General100, world.General100);

        var plan = wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, jobs, Amount.Zero);
        var round = await RoundAsync(world, 400, jobs);

        Assert.Equal([(world.Trainer.Record.Id, 100L), (world.UnionA.Record.Id, 300L)], round);
        Assert.Equal(round, Planned(plan));
    }

    [Fact]
    public async Task VersionOneTablePlansTheWholeValueForTheFirstJob()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"), ("care", "*", "trainer"));
        var wallet = await ExpiringWalletAsync(world, "worker-1", world.General100, world.General100);

        var plan = wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, TwoJobs, Amount.Zero);
        var round = await RoundAsync(world, 200, TwoJobs);

        Assert.Equal([(world.Trainer.Record.Id, 200L)], round);
        Assert.Equal(round, Planned(plan));
        Assert.Equal(world.Trainer.Record.Id, plan.Provider);
    }

    [Fact]
    public async Task ACoinLargerThanWhatIsLeftForAnyProviderStaysUnplanned()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await PublishRuleAsync(world, SeveralJobsRule.EqualSplit);
        var wallet = await ExpiringWalletAsync(world, "worker-1", world.General100, world.General100, world.General100);

        var plan = wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, TwoJobs, Amount.Zero);
        var round = await RoundAsync(world, 300, TwoJobs);

        // 150 each: one coin each, and the third fits neither; no provider is planned more than the round gives it.
        Assert.Equal([(world.Trainer.Record.Id, 150L), (world.UnionA.Record.Id, 150L)], round);
        Assert.Equal([(world.Trainer.Record.Id, 100L), (world.UnionA.Record.Id, 100L)], Planned(plan));
        Assert.Equal(100, plan.LeftOver.MinorUnits);
    }

    [Fact]
    public async Task AProviderThatDoesNotAcceptAFundIsPlannedNoneOfItAsTheRoundPoolsIt()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await PublishRuleAsync(world, SeveralJobsRule.EqualSplit);
        var wallet = await ExpiringWalletAsync(world, "worker-1", world.Training100, world.Training100);

        var plan = wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, TwoJobs, Amount.Zero);

        // union-a does not accept training money: only the trainer's half is planned, the other half is left over.
        Assert.Equal([(world.Trainer.Record.Id, 100L)], Planned(plan));
        Assert.Equal(world.Trainer.Record.Id, plan.Provider);
        Assert.Equal(100, plan.LeftOver.MinorUnits);
    }

    [Fact]
    public async Task EachPartIsPaidToItsOwnProviderAndTheWholePlanCannotBePaidToOne()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await PublishRuleAsync(world, SeveralJobsRule.EqualSplit);
        var wallet = await ExpiringWalletAsync(world, "worker-1", world.General100, world.General100);

        var plan = wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, TwoJobs, Amount.FromMinorUnits(1000));

        Assert.Equal(2, plan.Parts.Count);
        var whole = await world.UnionA.CreatePaymentRequestAsync(plan.Amount, "default allocation", TimeSpan.FromHours(1));
        Assert.Equal(PaymentPreparationStatus.NoExactCoins, wallet.PrepareDefaultAllocationPayment(plan, whole, world.Registry).Status);
        var part = Assert.Single(plan.Parts, p => p.Provider == world.UnionA.Record.Id);
        var request = await world.UnionA.CreatePaymentRequestAsync(part.Amount, "default allocation", TimeSpan.FromHours(1));
        var prepared = wallet.PrepareDefaultAllocationPayment(part, request, world.Registry);
        Assert.Equal(PaymentPreparationStatus.Ready, prepared.Status);
        Assert.Equal(PaymentVerification.Accepted, await world.UnionA.VerifyPaymentAsync(request, prepared.Spends, world.AllKeysets));
        var (_, result) = await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(DepositStatus.Accepted, result.Status);
    }

    [Fact]
    public async Task AProfileOfNoJobsOrARepeatedJobIsRefused()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await PublishRuleAsync(world, SeveralJobsRule.EqualSplit);
        var (wallet, _) = await world.NewWalletAsync("worker-1", 0);

        Assert.Throws<ArgumentException>("jobs", () => wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, [], Amount.Zero));
        Assert.Throws<ArgumentException>("jobs", () => wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, [new("care", "north"), new("care", "north")], Amount.Zero));
        Assert.Throws<ArgumentNullException>("jobs", () => wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, null!, Amount.Zero));
    }

    private static async Task<WorkerWallet> ExpiringWalletAsync(ProtocolWorld world, string account, params KeysetDescriptor[] coins)
    {
        var wallet = await world.FundedWalletAsync(account, coins);
        world.Time.Advance(TimeSpan.FromDays(55));
        return wallet;
    }

    // The round over an unwithdrawn balance of the same value and profile, per provider, in provider order.
    private static async Task<List<(AccountId Provider, long Amount)>> RoundAsync(ProtocolWorld world, long balance, DefaultAllocationJob[] jobs)
    {
        var worker = new AccountId("round-worker");
        await world.NewWalletAsync(worker.Value, balance);
        var record = await world.Scheme.AllocateUnwithdrawnAsync("epoch-1", [new DefaultAllocationInput(worker, jobs)]);
        Assert.Equal(Amount.Zero, record!.Pooled);
        return [.. record.Shares.Select(s => (s.Provider, s.Amount.MinorUnits)).OrderBy(s => s.Provider.Value, StringComparer.Ordinal)];
    }

    private static List<(AccountId Provider, long Amount)> Planned(DefaultAllocationPlan plan) =>
        [.. plan.Parts.GroupBy(p => p.Provider).Select(g => (g.Key, g.Sum(p => p.Amount.MinorUnits))).OrderBy(s => s.Key.Value, StringComparer.Ordinal)];

    private static async Task<DefaultAllocationTable> PublishRuleAsync(ProtocolWorld world, SeveralJobsRule rule)
    {
        var table = DefaultAllocationTable.Sign(1, ProtocolWorld.Start.AddDays(-1),
            [new DefaultAllocationRule("*", "*", new AccountId("union-a")), new DefaultAllocationRule("care", "*", new AccountId("trainer"))], rule, world.AccreditationKey);
        Assert.True(await world.Scheme.PublishAllocationTableAsync(table));
        return table;
    }
}
