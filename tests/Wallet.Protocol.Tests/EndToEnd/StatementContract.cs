using Wallet.Crypto.Signing;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Statements;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>
/// The worker's statement and contribution receipts end to end (docs/PROTOCOL.md 5.23): contributions named by their
/// contributor, a statement signed by the scheme for a request signed by the account key, receipts that reconcile with
/// it, the uniform withdrawal taken from it, and every refusal typed and changing nothing. Each store backend and
/// transport runs the whole suite.
/// </summary>
public abstract class StatementContract
{
    private static readonly AccountId EmployerA = new("employer-a");
    private static readonly AccountId EmployerB = new("employer-b");

    protected abstract Task<ProtocolWorld> CreateWorldAsync();

    [Fact]
    public async Task StatementShowsEveryContributionByContributorAndReconcilesWithTheReceipts()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("stmt-1", 0);
        await PayAsync(world, wallet.Account);

        var (ask, statement) = await StatementAsync(world, wallet);
        var (askReceipts, receipts) = await ReceiptsAsync(world, wallet);
        var reconciled = wallet.ReconcileStatement(ask, statement, askReceipts, receipts);

        Assert.Equal(ReconciliationStatus.Reconciled, reconciled.Status);
        Assert.Equal(1_050, statement.GeneralBalance.MinorUnits);
        Assert.Equal(1_050, statement.TotalContributed.MinorUnits);
        Assert.Equal(4, statement.Contributions.Length);
        Assert.Equal(
            [(ContributionSource.Employer, "employer-a", 700L, 2), (ContributionSource.Employer, "employer-b", 250L, 1), (ContributionSource.Levy, (string?)null, 100L, 1)],
            reconciled.Totals.Select(t => (t.Source, t.Contributor?.Value, t.Total.MinorUnits, t.Count)).OrderBy(t => t.Source).ThenBy(t => t.Item2, StringComparer.Ordinal));
        Assert.Equal(statement.ContributionTotals, reconciled.Totals);
        Assert.All(receipts, r => Assert.True(r.Verify(world.Scheme.PublicKey)));
        foreach (var line in statement.Contributions)
        {
            var entry = await world.Ledger.FindEntryAsync(line.Record.LedgerKey);
            Assert.Equal(entry!.Sequence, line.LedgerSequence);
        }
    }

    [Fact]
    public async Task ReceiptsAreTheSameBytesEveryTimeTheyAreFetched()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("stmt-2", 0);
        await PayAsync(world, wallet.Account);

        var (_, first) = await ReceiptsAsync(world, wallet);
        var (_, second) = await ReceiptsAsync(world, wallet);

        Assert.Equal(first.Select(r => r.Encode()), second.Select(r => r.Encode()));
    }

    [Fact]
    public async Task UniformWithdrawalTakesItsAmountFromTheStatementAndTheNextStatementShowsIt()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("stmt-3", 0);
        await PayAsync(world, wallet.Account);
        var (ask, statement) = await StatementAsync(world, wallet);

        var prepared = wallet.PrepareUniformWithdrawal(new IdempotencyKey("w-stmt-3"), ask, statement);
        Assert.Equal(WithdrawalPreparationStatus.Ready, prepared.Status);
        var result = await world.Client.WithdrawAsync(prepared.Request!);
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(prepared.Request!, result.Response!));

        var (_, after) = await StatementAsync(world, wallet);
        Assert.Equal(50, after.GeneralBalance.MinorUnits);
        var withdrawal = Assert.Single(after.Withdrawals);
        Assert.Equal((new IdempotencyKey("w-stmt-3"), 1_000L), (withdrawal.Key, withdrawal.Total.MinorUnits));
        Assert.Equal(after.TotalContributed.MinorUnits - after.TotalWithdrawn.MinorUnits, after.GeneralBalance.MinorUnits);
    }

    [Fact]
    public async Task AStatementThatIsNotTheSchemesAnswerPreparesNothing()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("stmt-4", 0);
        var (other, _) = await world.NewWalletAsync("stmt-4b", 0);
        await PayAsync(world, wallet.Account);
        var (ask, statement) = await StatementAsync(world, wallet);
        var (otherAsk, otherStatement) = await StatementAsync(world, other);
        using var forger = Ed25519SigningKey.Generate();
        var forged = WorkerStatement.Sign(ask, world.Time.GetUtcNow(), [new FundBalance(KeysetDescriptor.GeneralFund, Amount.FromMinorUnits(1_000_000))], [], [], forger);

        Assert.Equal(WithdrawalPreparationStatus.InvalidStatement, wallet.PrepareUniformWithdrawal(new IdempotencyKey("w-1"), ask, forged).Status);
        Assert.Equal(WithdrawalPreparationStatus.InvalidStatement, wallet.PrepareUniformWithdrawal(new IdempotencyKey("w-2"), otherAsk, otherStatement).Status);
        Assert.Equal(WithdrawalPreparationStatus.InvalidStatement, wallet.PrepareUniformWithdrawal(new IdempotencyKey("w-3"), wallet.PrepareStatementRequest(Epoch, Later(world)), statement).Status);
        Assert.Empty(wallet.PendingWithdrawals);
    }

    [Fact]
    public async Task OnlyTheAccountKeyMayAskAndEveryRefusalIsTypedAndChangesNothing()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("stmt-5", 0);
        await PayAsync(world, wallet.Account);
        var now = world.Time.GetUtcNow();
        using var stranger = Ed25519SigningKey.Generate();
        var otherAccountKey = world.Own(Ed25519SigningKey.Generate());
        await world.Scheme.RegisterAccountAsync(new AccountId("stmt-5-other"), otherAccountKey.PublicKey);
        var head = await world.Ledger.GetHeadAsync();

        Assert.Equal(StatementStatus.InvalidSignature, (await world.Client.GetStatementAsync(StatementRequest.Sign(wallet.Account, StatementRequestPurpose.Statement, Epoch, Later(world), now, stranger))).Status);
        Assert.Equal(StatementStatus.InvalidSignature, (await world.Client.GetContributionReceiptsAsync(StatementRequest.Sign(wallet.Account, StatementRequestPurpose.Receipts, Epoch, Later(world), now, otherAccountKey))).Status);
        Assert.Equal(StatementStatus.UnknownAccount, (await world.Client.GetStatementAsync(StatementRequest.Sign(new AccountId("nobody"), StatementRequestPurpose.Statement, Epoch, Later(world), now, stranger))).Status);
        var other = new AccountId("stmt-5-other");
        Assert.Equal(StatementStatus.Stale, (await world.Client.GetStatementAsync(StatementRequest.Sign(other, StatementRequestPurpose.Statement, Epoch, Later(world), now - TimeSpan.FromMinutes(6), otherAccountKey))).Status);
        Assert.Equal(StatementStatus.Stale, (await world.Client.GetStatementAsync(StatementRequest.Sign(other, StatementRequestPurpose.Statement, Epoch, Later(world), now + TimeSpan.FromMinutes(6), otherAccountKey))).Status);
        Assert.Equal(StatementStatus.Answered, (await world.Client.GetStatementAsync(StatementRequest.Sign(other, StatementRequestPurpose.Statement, Epoch, Later(world), now + TimeSpan.FromMinutes(4), otherAccountKey))).Status);
        // A request that waited past the window (a replay caught late, a stalled app) is stale too.
        var late = wallet.PrepareStatementRequest(Epoch, Later(world));
        world.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(StatementStatus.Stale, (await world.Client.GetStatementAsync(late)).Status);
        Assert.Equal(StatementStatus.WrongPurpose, (await world.Client.GetStatementAsync(wallet.PrepareReceiptsRequest(Epoch, Later(world)))).Status);
        var receiptsRefused = await world.Client.GetContributionReceiptsAsync(wallet.PrepareStatementRequest(Epoch, Later(world)));
        Assert.Equal((StatementStatus.WrongPurpose, 0), (receiptsRefused.Status, receiptsRefused.Receipts.Count));

        var ask = wallet.PrepareStatementRequest(Epoch, Later(world));
        var answered = await world.Client.GetStatementAsync(ask);
        var replayed = await world.Client.GetStatementAsync(ask);

        Assert.Equal(StatementStatus.Answered, answered.Status);
        Assert.Equal((StatementStatus.Replayed, null), (replayed.Status, replayed.Statement));
        Assert.Equal(head, await world.Ledger.GetHeadAsync());
        Assert.Equal(1_050, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
    }

    [Fact]
    public async Task APeriodShowsOnlyItsDaysAndTheReceiptsOfAnotherPeriodDoNotReconcile()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("stmt-6", 0);
        await world.Scheme.ContributeAsync(new IdempotencyKey("day-1"), EmployerA, ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(100));
        world.Time.Advance(TimeSpan.FromDays(2));
        await world.Scheme.ContributeAsync(new IdempotencyKey("day-3"), EmployerA, ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(200));
        var today = ContributionRecord.Coarse(world.Time.GetUtcNow());

        var ask = wallet.PrepareStatementRequest(today, today.AddDays(1));
        var statement = (await world.Client.GetStatementAsync(ask)).Statement!;
        var wholeAsk = wallet.PrepareReceiptsRequest(Epoch, Later(world));
        var all = (await world.Client.GetContributionReceiptsAsync(wholeAsk)).Receipts;

        Assert.Equal([200L], statement.Contributions.Select(c => c.Record.Amount.MinorUnits));
        Assert.Equal(300, statement.GeneralBalance.MinorUnits);
        Assert.Equal(2, all.Count);
        Assert.Equal(ReconciliationStatus.PeriodMismatch, wallet.ReconcileStatement(ask, statement, wholeAsk, all).Status);
        var sameAsk = wallet.PrepareReceiptsRequest(today, today.AddDays(1));
        var same = (await world.Client.GetContributionReceiptsAsync(sameAsk)).Receipts;
        Assert.Equal(ReconciliationStatus.Reconciled, wallet.ReconcileStatement(ask, statement, sameAsk, same).Status);
        Assert.Equal(ReconciliationStatus.Mismatch, wallet.ReconcileStatement(ask, statement, sameAsk, []).Status);
    }

    [Fact]
    public async Task ACrashBetweenTheRecordAndTheLedgerShowsNothingUntilTheRetryCompletesIt()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("stmt-7", 0);
        // The first attempt wrote its record and died before the ledger call.
        var key = new IdempotencyKey("crash-1");
        await world.Store.PutContributionRecordsAsync([new ContributionRecord(key, wallet.Account, ContributionSource.Employer, EmployerA, KeysetDescriptor.GeneralFund, Amount.FromMinorUnits(400), world.Time.GetUtcNow())], CancellationToken.None);
        // A key reused for another amount leaves its first record unshown rather than wrong.
        await world.Store.PutContributionRecordsAsync([new ContributionRecord(new IdempotencyKey("reused"), wallet.Account, ContributionSource.Employer, EmployerA, KeysetDescriptor.GeneralFund, Amount.FromMinorUnits(999), world.Time.GetUtcNow())], CancellationToken.None);
        Assert.True((await world.Scheme.ContributeAsync(new IdempotencyKey("reused"), EmployerA, ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(10))).Succeeded);

        var (_, before) = await StatementAsync(world, wallet);
        Assert.Empty(before.Contributions);
        Assert.Equal(10, before.GeneralBalance.MinorUnits);

        var retry = await world.Scheme.ContributeAsync(key, EmployerA, ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(400));
        var again = await world.Scheme.ContributeAsync(key, EmployerA, ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(400));

        Assert.Equal((true, false, true), (retry.Succeeded, retry.IsReplay, again.IsReplay));
        var (ask, after) = await StatementAsync(world, wallet);
        var line = Assert.Single(after.Contributions);
        Assert.Equal((key, 400L, "employer-a"), (line.Record.LedgerKey, line.Record.Amount.MinorUnits, line.Record.Contributor!.Value));
        var (askReceipts, receipts) = await ReceiptsAsync(world, wallet);
        Assert.Equal(ReconciliationStatus.Reconciled, wallet.ReconcileStatement(ask, after, askReceipts, receipts).Status);
    }

    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    private static DateTimeOffset Later(ProtocolWorld world) => world.Time.GetUtcNow().AddDays(1);

    // Two employers through payroll lines (one of them twice), one employer through a single contribution, and a levy
    // that names nobody: 1 050 in all.
    private static async Task PayAsync(ProtocolWorld world, AccountId worker)
    {
        var lines = await world.Scheme.ContributeBatchAsync(
        [
            new PayrollLine(EmployerA, new IdempotencyKey($"{worker}-jan"), ContributionSource.Employer, worker, Amount.FromMinorUnits(400)),
            new PayrollLine(EmployerA, new IdempotencyKey($"{worker}-feb"), ContributionSource.Employer, worker, Amount.FromMinorUnits(300)),
        ]);
        Assert.All(lines, l => Assert.True(l.Succeeded));
        Assert.True((await world.Scheme.ContributeAsync(new IdempotencyKey($"{worker}-b"), EmployerB, ContributionSource.Employer, worker, Amount.FromMinorUnits(250))).Succeeded);
        Assert.True((await world.Scheme.ContributeAsync(new IdempotencyKey($"{worker}-levy"), ContributionSource.Levy, worker, Amount.FromMinorUnits(100))).Succeeded);
    }

    private static async Task<(StatementRequest Request, WorkerStatement Statement)> StatementAsync(ProtocolWorld world, WorkerWallet wallet)
    {
        var ask = wallet.PrepareStatementRequest(Epoch, Later(world));
        var result = await world.Client.GetStatementAsync(ask);
        Assert.Equal(StatementStatus.Answered, result.Status);
        Assert.True(result.Statement!.Verify(ask, world.Scheme.PublicKey));
        return (ask, result.Statement);
    }

    private static async Task<(StatementRequest Request, IReadOnlyList<ContributionReceipt> Receipts)> ReceiptsAsync(ProtocolWorld world, WorkerWallet wallet)
    {
        var ask = wallet.PrepareReceiptsRequest(Epoch, Later(world));
        var result = await world.Client.GetContributionReceiptsAsync(ask);
        Assert.Equal(StatementStatus.Answered, result.Status);
        return (ask, result.Receipts);
    }
}
