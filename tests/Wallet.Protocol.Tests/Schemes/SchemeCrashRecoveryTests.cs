using Wallet.Protocol.Audit;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Withdrawals;
using Moment = Wallet.Protocol.Tests.Schemes.CrashingMerkleLogStore.Moment;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>
/// The scheme dies around a log append (entry bytes stored, leaf not yet appended; or leaf appended, receipt not
/// yet stored) and the client retries the same request: the operation ends logged exactly once, its effect applied
/// once, and the auditor finds nothing wrong with the log.
/// </summary>
public sealed class SchemeCrashRecoveryTests
{
    [Theory]
    [InlineData(Moment.BeforeAppend)]
    [InlineData(Moment.AfterAppend)]
    public async Task WithdrawalInterruptedAroundItsLogAppendIsLoggedOnceOnRetry(Moment moment)
    {
        var log = new CrashingMerkleLogStore();
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), log);
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id, world.General100.Id]);

        log.CrashAt = moment;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => world.Scheme.WithdrawAsync(request));
        var retried = await world.Scheme.WithdrawAsync(request);

        Assert.Equal(WithdrawalStatus.Issued, retried.Status);
        Assert.Equal(800, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        var entries = await LogAsync(world);
        var issuance = Assert.Single(entries, e => e.Kind == LogEntryKind.CoinsIssued);
        Assert.Equal(2, issuance.Issuance!.Counts.Sum(c => c.Count));
        await AssertCleanAuditAsync(world, entries);
    }

    [Theory]
    [InlineData(Moment.BeforeAppend)]
    [InlineData(Moment.AfterAppend)]
    public async Task DepositInterruptedAroundItsLogAppendIsLoggedOnceAndItsReceiptProvesThatEntry(Moment moment)
    {
        var log = new CrashingMerkleLogStore();
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), log);
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        await world.PayAsync(wallet, world.UnionA, 200);
        var deposit = (await world.UnionA.CreateDepositAsync(new IdempotencyKey("d1")))!;

        log.CrashAt = moment;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => world.Scheme.DepositAsync(deposit));
        var retried = await world.Scheme.DepositAsync(deposit);

        Assert.Equal(DepositStatus.Accepted, retried.Status);
        Assert.True(retried.Receipt!.Verify(deposit, world.Scheme.PublicKey));
        Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        var entries = await LogAsync(world);
        var spent = Assert.Single(entries, e => e.Kind == LogEntryKind.CoinsSpent);
        Assert.Equal(spent.LeafHash(), retried.Receipt.LeafHash);
        Assert.Equal(spent.LeafHash(), (await world.Scheme.GetLogEntryAsync(retried.Receipt.LogIndex))!.LeafHash());
        await AssertCleanAuditAsync(world, entries);
    }

    [Fact]
    public async Task EntryWhoseLeafNeverLandedIsOverwrittenByTheNextOperationAndRelogged()
    {
        var log = new CrashingMerkleLogStore();
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), log);
        var (first, _) = await world.NewWalletAsync("worker-1", 1000);
        var (second, _) = await world.NewWalletAsync("worker-2", 1000);
        var interrupted = first.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id]);

        log.CrashAt = Moment.BeforeAppend;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => world.Scheme.WithdrawAsync(interrupted));

        // Another worker's withdrawal takes the index the interrupted entry's bytes were stored at.
        await world.WithdrawAsync(second, "w1", world.General500);
        var retried = await world.Scheme.WithdrawAsync(interrupted);

        Assert.Equal(WithdrawalStatus.Issued, retried.Status);
        var entries = await LogAsync(world);
        var issuances = entries.Where(e => e.Kind == LogEntryKind.CoinsIssued).ToList();
        Assert.Equal(2, issuances.Count);
        Assert.Equal(
            [(world.General500.Id, 1), (world.General100.Id, 1)],
            issuances.Select(e => (e.Issuance!.Counts.Single().Keyset, e.Issuance.Counts.Single().Count)));
        await AssertCleanAuditAsync(world, entries);
    }

    private static async Task<List<LogEntry>> LogAsync(ProtocolWorld world)
    {
        var head = await world.Scheme.GetTreeHeadAsync();
        var entries = new List<LogEntry>();
        for (ulong i = 0; i < head.TreeSize; i++)
        {
            entries.Add((await world.Scheme.GetLogEntryAsync(i))!);
        }

        return entries;
    }

    private static async Task AssertCleanAuditAsync(ProtocolWorld world, List<LogEntry> entries)
    {
        var head = await world.Scheme.GetTreeHeadAsync();
        var report = new LogAuditor(world.Scheme.PublicKey, world.AccreditationKey.PublicKey).Audit(entries, [head]);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
        Assert.True((await world.Ledger.VerifyAsync()).IsValid);
    }
}
