using Wallet.Protocol.Flows;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Withdrawals;
using Moment = Wallet.Protocol.Tests.Schemes.CrashingMerkleLogStore.Moment;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>
/// The scheme's ledger checkpoints (docs/PROTOCOL.md 5.15) over the real roles: logged between every kind of operation
/// and reconciled clean by the auditor, exactly once per key, and refused (nothing logged) while an operation has its
/// ledger entry but not yet its log entry, including after a crash.
/// </summary>
public sealed class LedgerCheckpointTests
{
    [Fact]
    public async Task CheckpointsBetweenEveryOperationKindAuditClean()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"));
        int logged = 0;
        async Task CheckpointAsync()
        {
            Assert.NotNull(await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey($"cp-{++logged}")));
        }

        await CheckpointAsync();
        var (first, _) = await world.NewWalletAsync("worker-1", 2000);
        await CheckpointAsync();
        await world.WithdrawAsync(first, "w1", world.General100, world.General100, world.General100, world.Training100);
        await CheckpointAsync();
        await world.PayAsync(first, world.UnionA, 100);
        await world.DepositAsync(world.UnionA, "d1");
        await CheckpointAsync();

        var (second, _) = await world.NewWalletAsync("worker-2", 1000);
        await world.WithdrawAsync(second, "w1", world.General500);
        var swap = second.PrepareChange(new IdempotencyKey("swap-1"), Amount.FromMinorUnits(100), [world.General100.Id]).Request!;
        var swapped = await world.Scheme.SwapAsync(swap);
        Assert.Equal(SwapCompletion.Completed, second.CompleteSwap(swap, swapped.Response!));
        await CheckpointAsync();

        // A debit whose issuance is not logged: no checkpoint until the reversal logs it (docs/PROTOCOL.md 5.3).
        var (third, _) = await world.NewWalletAsync("worker-3", 500);
        var lost = third.PrepareWithdrawal(new IdempotencyKey("lost-1"), [world.Training100.Id]);
        await CommitDebitOnlyAsync(world, lost);
        ulong size = (await world.Scheme.GetTreeHeadAsync()).TreeSize;
        Assert.Null(await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-pending")));
        Assert.Equal(size, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
        Assert.True(await world.Scheme.RevokeKeysetAsync(world.Training100.Id));
        Assert.NotNull(await world.Scheme.ReverseUnissuedWithdrawalsAsync(world.Training100.Id));
        await CheckpointAsync();

        var from = ProtocolWorld.Start;
        var replacement = new KeysetDescriptor(2, world.Training100.Denomination, "training", from, from.AddDays(30), from.AddDays(60), from.AddDays(90), world.Mode, ProtocolKeys.Rsa2048.PublicKey.ExportSubjectPublicKeyInfo());
        await world.Scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{replacement.Id}"), KeysetParameters.Of(replacement), ProtocolKeys.Rsa2048);
        await world.SyncAsync(first);
        var recovery = first.PrepareRecovery(new IdempotencyKey("recovery-1"), world.Training100.Id, [replacement.Id]).Request!;
        var recovered = await world.Scheme.RecoverAsync(recovery);
        Assert.Equal(SwapStatus.Swapped, recovered.Status);
        await CheckpointAsync();

        world.Time.Advance(TimeSpan.FromDays(91));
        foreach (var keyset in new[] { world.General100, world.General500, world.Training100, replacement })
        {
            Assert.NotNull(await world.Scheme.ExpireKeysetAsync(keyset.Id));
        }

        await CheckpointAsync();
        Assert.NotNull(await world.Scheme.AllocateExpiredAsync(world.General100.Id));
        await CheckpointAsync();
        Assert.NotNull(await world.Scheme.AllocateUnwithdrawnAsync("epoch-1", [new(first.Account, "care", "north"), new(second.Account, "care", "north"), new(third.Account, "retail", "south")]));
        await CheckpointAsync();

        var entries = await DefaultAllocationTests.EntriesAsync(world);
        var report = DefaultAllocationTests.Auditor(world).Audit(entries, [await world.Scheme.GetTreeHeadAsync()]);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
        var checkpoints = entries.Select((e, i) => (e.LedgerCheckpoint, Index: (ulong)i)).Where(c => c.LedgerCheckpoint is not null).ToList();
        Assert.Equal(logged, checkpoints.Count);
        Assert.All(checkpoints, c => Assert.Equal(c.Index, c.LedgerCheckpoint!.LogSize));
        Assert.Equal(Enumerable.Range(1, logged).Select(i => (ulong)i), checkpoints.Select(c => c.LedgerCheckpoint!.Sequence));
        var last = checkpoints[^1].LedgerCheckpoint!;
        var head = await world.Ledger.GetHeadAsync();
        Assert.Equal((ulong)head.Sequence, last.JournalEntries);
        Assert.Equal(head.Hash.Bytes.ToArray(), last.JournalHeadHash.ToArray());
        Assert.Equal(0, last.Totals.Sum(t => t.Balance));
        Assert.Equal(await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id), last.TotalOf(LedgerTotalKind.ProviderPayable));
        Assert.Equal(0, last.TotalOf(LedgerTotalKind.Outstanding));
        Assert.True((await world.Ledger.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task TheSameKeyLogsOneCheckpointAndANewKeyTheNext()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.Training100);

        var first = await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1"));
        ulong size = (await world.Scheme.GetTreeHeadAsync()).TreeSize;
        await world.WithdrawAsync(wallet, "w2", world.General500);
        var retried = await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1"));
        var next = await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-2"));

        Assert.Equal(first!.Encode(), retried!.Encode());
        Assert.Equal(size - 1, first.LogSize);
        Assert.Equal((2UL, size + 1), (next!.Sequence, next.LogSize));
        Assert.Equal(
            [(world.General100.Id, Amount.FromMinorUnits(100)), (world.Training100.Id, Amount.FromMinorUnits(100))],
            first.Keysets.OrderBy(k => k.Keyset).ToArray());
        Assert.Equal([("general", Amount.FromMinorUnits(100)), ("training", Amount.FromMinorUnits(100))], first.Funds.ToArray());
        Assert.Equal((200L, 700L), (first.TotalOf(LedgerTotalKind.Outstanding), next.TotalOf(LedgerTotalKind.Outstanding)));
        var entries = await DefaultAllocationTests.EntriesAsync(world);
        Assert.Equal(2, entries.Count(e => e.Kind == LogEntryKind.LedgerCheckpoint));
        Assert.True(DefaultAllocationTests.Auditor(world).Audit(entries, []).IsClean);
    }

    [Theory]
    [InlineData(Moment.BeforeAppend)]
    [InlineData(Moment.AfterAppend)]
    public async Task ACheckpointAfterAWithdrawalCutShortByACrashIsNeverFlagged(Moment moment)
    {
        var log = new CrashingMerkleLogStore();
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), log);
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id, world.General500.Id]);
        log.CrashAt = moment;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => world.Scheme.WithdrawAsync(request));

        // Before the append the ledger holds a debit the log does not show: refused, nothing logged. After it the
        // log shows it (only the stored response is missing): the checkpoint matches.
        var early = await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1"));
        Assert.Equal(moment == Moment.AfterAppend, early is not null);
        Assert.Equal(WithdrawalStatus.Issued, (await world.Scheme.WithdrawAsync(request)).Status);
        var late = await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-2"));

        Assert.NotNull(late);
        Assert.Equal(600, late.TotalOf(LedgerTotalKind.Outstanding));
        var entries = await DefaultAllocationTests.EntriesAsync(world);
        var report = DefaultAllocationTests.Auditor(world).Audit(entries, [await world.Scheme.GetTreeHeadAsync()]);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
        Assert.Single(entries, e => e.Kind == LogEntryKind.CoinsIssued);
    }

    [Theory]
    [InlineData(Moment.BeforeAppend)]
    [InlineData(Moment.AfterAppend)]
    public async Task ACheckpointCutShortByACrashIsLoggedOnceOnRetry(Moment moment)
    {
        var log = new CrashingMerkleLogStore();
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), log);
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100);

        log.CrashAt = moment;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1")));
        var retried = await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1"));
        var again = await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1"));

        Assert.Equal(retried!.Encode(), again!.Encode());
        var entries = await DefaultAllocationTests.EntriesAsync(world);
        Assert.Equal(LogEntryKind.LedgerCheckpoint, Assert.Single(entries, e => e.Kind == LogEntryKind.LedgerCheckpoint).Kind);
        Assert.True(DefaultAllocationTests.Auditor(world).Audit(entries, [await world.Scheme.GetTreeHeadAsync()]).IsClean);
    }

    [Fact]
    public async Task AnExpiryCutShortByACrashHoldsCheckpointsBackUntilItIsRetried()
    {
        var log = new CrashingMerkleLogStore();
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), log);
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        world.Time.Advance(TimeSpan.FromDays(91));

        log.CrashAt = Moment.BeforeAppend;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => world.Scheme.ExpireKeysetAsync(world.General100.Id));
        Assert.Null(await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1")));
        await world.Scheme.ExpireKeysetAsync(world.General100.Id);
        var checkpoint = await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1"));

        Assert.Equal((200L, 0L), (checkpoint!.TotalOf(LedgerTotalKind.Expired), checkpoint.TotalOf(LedgerTotalKind.Outstanding)));
        Assert.True(DefaultAllocationTests.Auditor(world).Audit(await DefaultAllocationTests.EntriesAsync(world), []).IsClean);
    }

    [Fact]
    public async Task ADepositCutShortByACrashHoldsCheckpointsBackUntilItIsRetried()
    {
        var log = new CrashingMerkleLogStore();
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), log);
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        await world.PayAsync(wallet, world.UnionA, 200);
        var deposit = (await world.UnionA.CreateDepositAsync(new IdempotencyKey("d1")))!;

        log.CrashAt = Moment.BeforeAppend;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => world.Scheme.DepositAsync(deposit));
        Assert.Null(await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1")));
        await world.Scheme.DepositAsync(deposit);
        var checkpoint = await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1"));

        Assert.Equal((200L, 0L), (checkpoint!.TotalOf(LedgerTotalKind.ProviderPayable), checkpoint.TotalOf(LedgerTotalKind.Outstanding)));
        Assert.True(DefaultAllocationTests.Auditor(world).Audit(await DefaultAllocationTests.EntriesAsync(world), []).IsClean);
    }

    [Fact]
    public async Task AReversalCutShortByACrashLeavesNothingACheckpointCouldMisstate()
    {
        var log = new CrashingMerkleLogStore();
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), log);
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await CommitDebitOnlyAsync(world, wallet.PrepareWithdrawal(new IdempotencyKey("lost-1"), [world.General100.Id]));
        Assert.True(await world.Scheme.RevokeKeysetAsync(world.General100.Id));

        // The reversal's ledger entry cancels the debit, which was never logged: every checked figure agrees already.
        log.CrashAt = Moment.BeforeAppend;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => world.Scheme.ReverseUnissuedWithdrawalsAsync(world.General100.Id));
        var during = await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1"));
        Assert.NotNull(await world.Scheme.ReverseUnissuedWithdrawalsAsync(world.General100.Id));
        var after = await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-2"));

        Assert.Equal((0L, 1000L), (during!.TotalOf(LedgerTotalKind.Outstanding), during.TotalOf(LedgerTotalKind.Worker)));
        Assert.Equal(2UL, after!.Sequence);
        var entries = await DefaultAllocationTests.EntriesAsync(world);
        Assert.Single(entries, e => e.Kind == LogEntryKind.WithdrawalReversed);
        var report = DefaultAllocationTests.Auditor(world).Audit(entries, []);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
    }

    private static async Task CommitDebitOnlyAsync(ProtocolWorld world, WithdrawalRequest request)
    {
        var ledgerKey = SchemeContext.LedgerKey("w", request.Account.Value, request.IdempotencyKey);
        var coins = request.Items.Select(i => new KeysetAmount(i.Keyset, world.AllKeysets.Single(k => k.Id == i.Keyset).Denomination)).ToArray();
        Assert.Equal(LedgerStatus.Applied, (await world.Ledger.WithdrawAsync(ledgerKey, request.Account, coins)).Status);
    }
}
