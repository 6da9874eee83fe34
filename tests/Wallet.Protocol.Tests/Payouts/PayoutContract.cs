using Wallet.Protocol.Audit;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Payouts;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Payouts;

/// <summary>
/// Payouts end to end (docs/PROTOCOL.md 5.18): a provider's payable from real deposits is paid out through the operator
/// surface, the statement verifies under the scheme's key, the log records the amount per provider, the ledger and
/// the auditor agree; refusals, replays and races move nothing twice. Each backend and transport runs the whole suite.
/// </summary>
public abstract class PayoutContract
{
    private static long _checkpoints;

    /// <summary>A world, and the operator surface payouts go through (the scheme in process, or a client over HTTP).</summary>
    protected abstract Task<(ProtocolWorld World, ISchemeOperator Operator)> CreateAsync();

    [Fact]
    public async Task PayoutOfPartOfThePayableSignsAStatementAndLogsTheAmountPerProvider()
    {
        var (world, op) = await CreateAsync();
        using (world)
        {
            var provider = await PayableAsync(world, 600);

            var result = await op.PayoutAsync(new IdempotencyKey("po-1"), provider, Amount.FromMinorUnits(400));

            Assert.Equal(PayoutStatus.Paid, result.Status);
            Assert.False(result.IsReplay);
            var statement = result.Statement!;
            Assert.True(statement.Verify(world.Scheme.PublicKey));
            Assert.True(world.UnionA.VerifyPayoutStatement(statement));
            Assert.False(world.UnionB.VerifyPayoutStatement(statement));
            Assert.Equal(provider, statement.Provider);
            Assert.Equal((400L, 600L, 200L, 400L), (statement.Amount.MinorUnits, statement.PayableBefore.MinorUnits, statement.PayableAfter.MinorUnits, statement.PaidOutTotal.MinorUnits));
            Assert.Equal(world.Time.GetUtcNow().ToUnixTimeSeconds(), statement.PaidAt.ToUnixTimeSeconds());
            Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(provider));
            Assert.Equal(400, await world.Ledger.GetBalanceAsync(LedgerAccount.Payouts(provider)));

            var logged = await world.Client.GetLogEntryAsync(statement.LogIndex);
            Assert.Equal(LogEntryKind.ProvidersPaidOut, logged!.Kind);
            var line = Assert.Single(logged.ProvidersPaidOut!.Payouts);
            Assert.Equal((provider, 400L), (line.Provider, line.Amount.MinorUnits));

            // A second payout takes the rest; the statement's running total follows.
            var rest = await op.PayoutAsync(new IdempotencyKey("po-2"), provider, Amount.FromMinorUnits(200));
            Assert.Equal((200L, 0L, 600L), (rest.Statement!.PayableBefore.MinorUnits, rest.Statement.PayableAfter.MinorUnits, rest.Statement.PaidOutTotal.MinorUnits));
            Assert.True(rest.Statement.PayoutId > statement.PayoutId);
            await AssertBooksAgreeAsync(world, op);
        }
    }

    [Fact]
    public async Task RetryWithTheSameKeyReturnsTheSameStatementAndPaysOnce()
    {
        var (world, op) = await CreateAsync();
        using (world)
        {
            var provider = await PayableAsync(world, 600);
            var first = await op.PayoutAsync(new IdempotencyKey("po-1"), provider, Amount.FromMinorUnits(250));
            var head = await world.Scheme.GetTreeHeadAsync();
            world.Time.Advance(TimeSpan.FromMinutes(5));

            var retry = await op.PayoutAsync(new IdempotencyKey("po-1"), provider, Amount.FromMinorUnits(250));

            // In process the ledger flags the replay; over HTTP the endpoint may answer from its response memory first.
            Assert.Equal(PayoutStatus.Paid, retry.Status);
            Assert.Equal(first.Statement!.Encode(), retry.Statement!.Encode());
            Assert.Equal(head.TreeSize, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
            Assert.Equal(350, await world.Scheme.GetProviderBalanceAsync(provider));
            await AssertBooksAgreeAsync(world, op);
        }
    }

    [Theory]
    [InlineData(601, PayoutStatus.InsufficientPayable)]
    [InlineData(long.MaxValue, PayoutStatus.InsufficientPayable)]
    public async Task PayoutOfMoreThanThePayableIsRefusedWithNothingMovedOrLogged(long amount, PayoutStatus expected)
    {
        var (world, op) = await CreateAsync();
        using (world)
        {
            var provider = await PayableAsync(world, 600);
            var head = await world.Scheme.GetTreeHeadAsync();

            var result = await op.PayoutAsync(new IdempotencyKey("po-big"), provider, Amount.FromMinorUnits(amount));

            Assert.Equal((expected, (PayoutStatement?)null), (result.Status, result.Statement));
            Assert.Equal(600, await world.Scheme.GetProviderBalanceAsync(provider));
            Assert.Equal(head.TreeSize, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
            await AssertBooksAgreeAsync(world, op);
        }
    }

    [Fact]
    public async Task PayoutToAProviderNoRegistryNamedIsRefused()
    {
        var (world, op) = await CreateAsync();
        using (world)
        {
            await PayableAsync(world, 600);
            var head = await world.Scheme.GetTreeHeadAsync();

            var result = await op.PayoutAsync(new IdempotencyKey("po-x"), new AccountId("nobody-we-know"), Amount.FromMinorUnits(1));

            Assert.Equal(PayoutStatus.UnknownProvider, result.Status);
            Assert.Null(result.Statement);
            Assert.Equal(head.TreeSize, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
        }
    }

    [Fact]
    public async Task TheSameKeyForAnotherPayoutIsAConflictWithNothingMoved()
    {
        var (world, op) = await CreateAsync();
        using (world)
        {
            var provider = await PayableAsync(world, 600);
            Assert.True((await op.PayoutAsync(new IdempotencyKey("po-1"), provider, Amount.FromMinorUnits(100))).Succeeded);

            await AssertKeyReusedAsync(() => op.PayoutAsync(new IdempotencyKey("po-1"), provider, Amount.FromMinorUnits(101)));
            await AssertKeyReusedAsync(() => op.PayoutAsync(new IdempotencyKey("po-1"), world.UnionB.Record.Id, Amount.FromMinorUnits(100)));

            Assert.Equal(500, await world.Scheme.GetProviderBalanceAsync(provider));
            await AssertBooksAgreeAsync(world, op);
        }
    }

    [Fact]
    public async Task ConcurrentPayoutsRacingForOnePayablePayItOnce()
    {
        var (world, op) = await CreateAsync();
        using (world)
        {
            var provider = await PayableAsync(world, 600);

            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                Task.Run(() => op.PayoutAsync(new IdempotencyKey($"race-{i}"), provider, Amount.FromMinorUnits(400)))));

            Assert.Single(results, r => r.Status == PayoutStatus.Paid);
            Assert.Equal(5, results.Count(r => r.Status == PayoutStatus.InsufficientPayable));
            Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(provider));
            await AssertBooksAgreeAsync(world, op);
        }
    }

    /// <summary>How the operator surface refuses a key reused for another payout: a typed result in process.</summary>
    protected virtual async Task AssertKeyReusedAsync(Func<Task<PayoutResult>> payout) =>
        Assert.Equal(PayoutStatus.IdempotencyKeyReused, (await payout()).Status);

    /// <summary>One wallet pays union A <paramref name="amount"/> (coins of 100 and 500) and union A deposits it.</summary>
    protected static async Task<AccountId> PayableAsync(ProtocolWorld world, long amount)
    {
        var (wallet, _) = await world.NewWalletAsync("worker-payout", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General500);
        await world.PayAsync(wallet, world.UnionA, amount);
        var (_, result) = await world.DepositAsync(world.UnionA, "d-payout");
        Assert.Equal(DepositStatus.Accepted, result.Status);
        Assert.Equal(amount, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        return world.UnionA.Record.Id;
    }

    /// <summary>The ledger verifies, a ledger checkpoint can be signed over the log, and the auditor finds nothing.</summary>
    protected static async Task AssertBooksAgreeAsync(ProtocolWorld world, ISchemeOperator op)
    {
        var verification = await world.Ledger.VerifyAsync();
        Assert.True(verification.IsValid, string.Join("\n", verification.Problems));
        var checkpoint = await op.LogLedgerCheckpointAsync(new IdempotencyKey($"cp-{Interlocked.Increment(ref _checkpoints)}"));
        Assert.NotNull(checkpoint);
        Assert.Equal(await world.Ledger.GetBalanceAsync(LedgerAccount.Payouts(world.UnionA.Record.Id)), checkpoint.TotalOf(LedgerTotalKind.Payouts));

        var entries = new List<LogEntry>();
        for (ulong i = 0; await world.Client.GetLogEntryAsync(i) is { } entry; i++)
        {
            entries.Add(entry);
        }

        var report = new LogAuditor(world.Scheme.PublicKey, world.AccreditationKey.PublicKey).Audit(entries, [await world.Scheme.GetTreeHeadAsync()]);
        Assert.True(report.IsClean, string.Join("\n", report.Violations));
    }
}
