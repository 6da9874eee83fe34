using Wallet.Crypto.Merkle;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Statements;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Statements;

/// <summary>The statement suite in memory, and a period longer than a statement holds.</summary>
public sealed class InMemoryStatementTests : StatementContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync() =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());

    [Fact]
    public async Task APeriodWithMoreContributionsThanAStatementHoldsIsRefusedAndAShorterOneIsAnswered()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("long-1", 0);
        var day = world.Time.GetUtcNow();
        await world.Store.PutContributionRecordsAsync(
            [.. Enumerable.Range(0, WorkerStatement.MaxLines + 1).Select(i => new ContributionRecord(new IdempotencyKey($"k-{i}"), wallet.Account, ContributionSource.Employer, null, KeysetDescriptor.GeneralFund, Amount.FromMinorUnits(1), day))],
            CancellationToken.None);

        var statement = await world.Client.GetStatementAsync(wallet.PrepareStatementRequest(day.AddDays(-1), day.AddDays(1)));
        var receipts = await world.Client.GetContributionReceiptsAsync(wallet.PrepareReceiptsRequest(day.AddDays(-1), day.AddDays(1)));
        var shorter = await world.Client.GetStatementAsync(wallet.PrepareStatementRequest(day.AddDays(1), day.AddDays(2)));

        Assert.Equal((StatementStatus.PeriodTooLong, null), (statement.Status, statement.Statement));
        Assert.Equal((StatementStatus.PeriodTooLong, 0), (receipts.Status, receipts.Receipts.Count));
        Assert.Equal(StatementStatus.Answered, shorter.Status);
        Assert.Empty(shorter.Statement!.Contributions);
    }

    [Theory]
    [InlineData(StoreFault.OnAppend)]
    [InlineData(StoreFault.BeforeCommit)]
    [InlineData(StoreFault.AfterCommit)]
    public async Task ALedgerThatFailsAfterTheRecordsAreWrittenShowsOnlyWhatItCommittedAndARetryCompletesTheRest(StoreFault fault)
    {
        var ledger = new FaultInjectingLedgerStore(new InMemoryLedgerStore());
        using var world = await ProtocolWorld.CreateAsync(ledger, new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, _) = await world.NewWalletAsync("fault-1", 0);
        var employer = new AccountId("employer-a");
        PayrollLine[] batch =
        [
            new(employer, new IdempotencyKey("jan"), ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(400)),
            new(employer, new IdempotencyKey("feb"), ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(300)),
        ];

        ledger.NextFault = fault;
        await Assert.ThrowsAsync<LedgerStoreException>(() => world.Scheme.ContributeBatchAsync(batch));
        ledger.NextFault = fault;
        await Assert.ThrowsAsync<LedgerStoreException>(() => world.Scheme.ContributeAsync(new IdempotencyKey("single"), employer, ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(50)));

        var day = world.Time.GetUtcNow();
        var first = (await world.Client.GetStatementAsync(wallet.PrepareStatementRequest(day.AddDays(-1), day.AddDays(1)))).Statement!;
        long committed = await world.Scheme.GetWorkerBalanceAsync(wallet.Account);
        Assert.Equal(committed, first.TotalContributed.MinorUnits);
        Assert.Equal(fault == StoreFault.AfterCommit ? 750 : 0, committed);

        Assert.All(await world.Scheme.ContributeBatchAsync(batch), r => Assert.True(r.Succeeded));
        Assert.True((await world.Scheme.ContributeAsync(new IdempotencyKey("single"), employer, ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(50))).Succeeded);

        var ask = wallet.PrepareStatementRequest(day.AddDays(-1), day.AddDays(1));
        var after = (await world.Client.GetStatementAsync(ask)).Statement!;
        var askReceipts = wallet.PrepareReceiptsRequest(day.AddDays(-1), day.AddDays(1));
        var receipts = (await world.Client.GetContributionReceiptsAsync(askReceipts)).Receipts;
        Assert.Equal(["pay:employer-a:feb", "pay:employer-a:jan", "single"], after.Contributions.Select(c => c.Record.LedgerKey.Value));
        Assert.Equal((750L, 750L), (after.TotalContributed.MinorUnits, after.GeneralBalance.MinorUnits));
        Assert.True(wallet.ReconcileStatement(ask, after, askReceipts, receipts).IsReconciled);
    }
}
