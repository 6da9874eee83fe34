using Wallet.Crypto.Signing;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>
/// Ring-fenced funds through the scheme (docs/PROTOCOL.md 5.22): the funds table published and logged, contributions
/// and payroll lines credited to the fund it gives, withdrawals of training money as general coins refused with nothing
/// moved, unwithdrawn training money allocated only where training is accepted, and the auditor's funds checks.
/// </summary>
public sealed class SchemeFundsTests
{
    private const string Training = "training";

    [Fact]
    public async Task WithoutATableEveryContributionIsGeneral()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        await world.NewWalletAsync("worker-1", 0);

        await world.Scheme.ContributeAsync(new IdempotencyKey("levy-1"), ContributionSource.Levy, new AccountId("worker-1"), Amount.FromMinorUnits(500));

        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Amount.FromMinorUnits(500) }, await world.Scheme.GetWorkerFundBalancesAsync(new AccountId("worker-1")));
        Assert.Empty(await world.Scheme.ListFundsTablesAsync());
    }

    [Fact]
    public async Task PublishedTableSendsTheLevyToTrainingForSingleAndPayrollContributions()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await PublishAsync(world, 1);
        var worker = new AccountId("worker-1");
        await world.NewWalletAsync(worker.Value, 1000);

        await world.Scheme.ContributeAsync(new IdempotencyKey("levy-1"), ContributionSource.Levy, worker, Amount.FromMinorUnits(500));
        var lines = await world.Scheme.ContributeBatchAsync([
            new PayrollLine(new AccountId("employer-1"), new IdempotencyKey("l1"), ContributionSource.Levy, worker, Amount.FromMinorUnits(300)),
            new PayrollLine(new AccountId("employer-1"), new IdempotencyKey("l2"), ContributionSource.State, worker, Amount.FromMinorUnits(200)),
        ]);

        Assert.All(lines, l => Assert.True(l.Succeeded));
        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Amount.FromMinorUnits(1200), [Training] = Amount.FromMinorUnits(800) }, await world.Scheme.GetWorkerFundBalancesAsync(worker));
        var logged = Assert.Single(await DefaultAllocationTests.EntriesAsync(world), e => e.Kind == LogEntryKind.FundsTablePublished);
        Assert.Equal(table.Encode(), logged.FundsTable!.Encode());
        Assert.Equal(table.Encode(), Assert.Single(await world.Scheme.ListFundsTablesAsync()).Encode());
    }

    [Fact]
    public async Task TableNotSignedByTheAccreditationBodyOrNotIncreasingIsRefused()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        using var stranger = Ed25519SigningKey.Generate();
        ISchemeOperator scheme = world.Scheme;

        Assert.False(await scheme.PublishFundsTableAsync(FundsTable.Sign(1, ProtocolWorld.Start.AddDays(-2), [new(ContributionSource.Levy, Training)], stranger)));
        Assert.True(await scheme.PublishFundsTableAsync(Table(world, 2, ProtocolWorld.Start.AddDays(-2))));
        Assert.False(await scheme.PublishFundsTableAsync(Table(world, 2, ProtocolWorld.Start.AddDays(-1))));
        Assert.False(await scheme.PublishFundsTableAsync(Table(world, 3, ProtocolWorld.Start.AddDays(-2))));
        Assert.False(await scheme.PublishFundsTableAsync(Table(world, 1, ProtocolWorld.Start.AddDays(-1))));
        Assert.True(await scheme.PublishFundsTableAsync(Table(world, 3, ProtocolWorld.Start.AddDays(-1))));
        Assert.Equal([2u, 3u], (await world.Scheme.ListFundsTablesAsync()).Select(t => t.Version));
        await Assert.ThrowsAsync<ArgumentNullException>(() => scheme.PublishFundsTableAsync(null!));
    }

    [Fact]
    public async Task TableTakesEffectAtItsTimeAndALaterSchemeReadsItFromTheLog()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        Assert.True(await world.Scheme.PublishFundsTableAsync(FundsTable.Sign(1, ProtocolWorld.Start.AddDays(1), [new(ContributionSource.Levy, Training)], world.AccreditationKey)));
        var worker = new AccountId("worker-1");
        await world.NewWalletAsync(worker.Value, 0);

        await world.Scheme.ContributeAsync(new IdempotencyKey("before"), ContributionSource.Levy, worker, Amount.FromMinorUnits(100));
        world.Time.Advance(TimeSpan.FromDays(2));
        await world.Scheme.ContributeAsync(new IdempotencyKey("after"), ContributionSource.Levy, worker, Amount.FromMinorUnits(40));

        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Amount.FromMinorUnits(100), [Training] = Amount.FromMinorUnits(40) }, await world.Scheme.GetWorkerFundBalancesAsync(worker));
    }

    [Fact]
    public async Task TrainingMoneyAskedForAsGeneralCoinsIsRefusedWithNothingMovedAndTrainingCoinsAreIssued()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        await PublishAsync(world, 1);
        var (wallet, _) = await world.NewWalletAsync("worker-1", 0);
        await world.Scheme.ContributeAsync(new IdempotencyKey("levy-1"), ContributionSource.Levy, wallet.Account, Amount.FromMinorUnits(200));
        long issued = (await world.Ledger.GetKeysetAsync(world.General100.Id)).Issued.MinorUnits;

        var asGeneral = wallet.PrepareWithdrawal(new IdempotencyKey("w-general"), [world.General100.Id]);
        var refused = await world.Client.WithdrawAsync(asGeneral);
        var asTraining = wallet.PrepareWithdrawal(new IdempotencyKey("w-training"), [world.Training100.Id, world.Training100.Id]);
        var issuedTraining = await world.Client.WithdrawAsync(asTraining);

        Assert.Equal(WithdrawalStatus.FundRestricted, refused.Status);
        Assert.Null(refused.Response);
        Assert.Equal(issued, (await world.Ledger.GetKeysetAsync(world.General100.Id)).Issued.MinorUnits);
        Assert.Equal(WithdrawalStatus.Issued, issuedTraining.Status);
        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Amount.Zero }, await world.Scheme.GetWorkerFundBalancesAsync(wallet.Account));
        Assert.True((await ((ISchemeOperator)world.Scheme).VerifyLedgerAsync()).IsValid);
        var report = DefaultAllocationTests.Auditor(world).Audit(await DefaultAllocationTests.EntriesAsync(world), []);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
    }

    [Fact]
    public async Task UnwithdrawnTrainingMoneyGoesOnlyToAProviderAcceptingTraining()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        await PublishAsync(world, 1);
        await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"), ("care", "*", "trainer"));
        foreach (var account in new[] { "worker-1", "worker-2" })
        {
            await world.NewWalletAsync(account, 100);
            await world.Scheme.ContributeAsync(new IdempotencyKey($"levy-{account}"), ContributionSource.Levy, new AccountId(account), Amount.FromMinorUnits(50));
        }

        var round = await world.Scheme.AllocateUnwithdrawnAsync("epoch-1", [new(new AccountId("worker-1"), "care", "north"), new(new AccountId("worker-2"), "retail", "north")]);
        var again = await world.Scheme.AllocateUnwithdrawnAsync("epoch-1", [new(new AccountId("worker-1"), "care", "north"), new(new AccountId("worker-2"), "retail", "north")]);

        // worker-1 defaults to the trainer (takes both funds); worker-2 to union-a, which does not accept training: pooled.
        Assert.Equal(150, await world.Scheme.GetProviderBalanceAsync(world.Trainer.Record.Id));
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(50, await world.Ledger.GetBalanceAsync(LedgerAccount.DefaultPool));
        Assert.Equal(50, round!.Pooled.MinorUnits);
        Assert.Equal(round.AllocatedAt, again!.AllocatedAt);
        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Amount.Zero }, await world.Scheme.GetWorkerFundBalancesAsync(new AccountId("worker-2")));
    }

    [Fact]
    public async Task AuditorReportsABadTableAndCoinsOfAFundNoSourceIsSentTo()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        using var stranger = Ed25519SigningKey.Generate();
        // A table sending nothing to training: training coins withdrawn under it were paid with another fund's money.
        Assert.True(await world.Scheme.PublishFundsTableAsync(FundsTable.Sign(1, ProtocolWorld.Start.AddDays(-1), [new(ContributionSource.Levy, "general")], world.AccreditationKey)));
        await world.FundedWalletAsync("worker-1", world.Training100);
        var entries = await DefaultAllocationTests.EntriesAsync(world);
        var forged = LogEntry.ForFundsTable(FundsTable.Sign(2, ProtocolWorld.Start, [], stranger));
        var stale = LogEntry.ForFundsTable(Table(world, 1, ProtocolWorld.Start));
        var earlier = LogEntry.ForFundsTable(Table(world, 5, ProtocolWorld.Start.AddDays(-3)));

        var report = DefaultAllocationTests.Auditor(world).Audit([.. entries, forged, stale, earlier], []);

        Assert.Single(report.Violations, v => v.Kind == AuditViolationKind.UnfundedFundIssued);
        Assert.Equal(3, report.Violations.Count(v => v.Kind == AuditViolationKind.BadFundsTable));
    }

    private static FundsTable Table(ProtocolWorld world, uint version, DateTimeOffset at) =>
        FundsTable.Sign(version, at, [new(ContributionSource.Levy, Training)], world.AccreditationKey);

    private static async Task<FundsTable> PublishAsync(ProtocolWorld world, uint version)
    {
        var table = Table(world, version, ProtocolWorld.Start.AddDays(-1));
        Assert.True(await world.Scheme.PublishFundsTableAsync(table));
        return table;
    }
}
