using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// The ledger's edges: exact balances and outstanding totals, the order of reported conflicts, argument checks,
/// the optimistic write path and its fallback, and a stored outcome whose entry the journal lost.
/// </summary>
public sealed class SchemeLedgerBoundaryTests : LedgerTestBase
{
    [Fact]
    public async Task DepositOfExactlyTheOutstandingValueIsAppliedAndOneMoreIsRefused()
    {
        await FundAsync(Worker(1), 1, 30);

        var over = await Ledger.DepositAsync(Key("d0"), Provider(1), [Spent(1, 1, 20), Spent(2, 1, 11)]);
        var exact = await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 20), Spent(2, 1, 10)]);

        Assert.Equal(LedgerStatus.OutstandingExceeded, over.Status);
        Assert.True(exact.Succeeded);
        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
        Assert.Equal(30, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
    }

    [Fact]
    public async Task SwapOfMoreThanTheOutstandingValueIsRefusedAndMovesNothing()
    {
        await FundAsync(Worker(1), 1, 30);
        string before = await SnapshotAsync();

        var over = await Ledger.SwapAsync(Key("s0"), [Spent(1, 1, 31)], [Issue(2, 31)]);

        Assert.Equal(LedgerStatus.OutstandingExceeded, over.Status);
        Assert.Equal(before, await SnapshotAsync());
        Assert.True((await Ledger.SwapAsync(Key("s1"), [Spent(1, 1, 30)], [Issue(2, 30)])).Succeeded);
    }

    [Fact]
    public async Task WithdrawalOfExactlyTheBalanceIsAppliedAcrossKeysets()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(30));

        var result = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 10), Issue(2, 5), Issue(1, 15)]);

        Assert.True(result.Succeeded);
        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(25, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
        Assert.Equal(5, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(2))));
        Assert.Equal(Pence(25), (await Ledger.GetKeysetAsync(Keyset(1))).Issued);
    }

    [Fact]
    public async Task ConflictsAreReportedInCoinOrderWithTheEntryThatSpentThem()
    {
        await FundAsync(Worker(1), 1, 100);
        var coins = Enumerable.Range(1, 6).Select(i => Spent(i, 1, 1)).ToArray();
        var first = await Ledger.DepositAsync(Key("d1"), Provider(1), coins[..3]);
        var second = await Ledger.DepositAsync(Key("d2"), Provider(1), coins[3..]);

        var again = await Ledger.DepositAsync(Key("d3"), Provider(2), [.. coins.Reverse()]);
        var swap = await Ledger.SwapAsync(Key("s1"), [.. coins.Reverse(), Spent(7, 1, 1)], [Issue(1, 7)]);

        var expected = coins.Select((c, i) => new CoinConflict(c.Coin, i < 3 ? first.Entry!.Sequence : second.Entry!.Sequence)).OrderBy(c => c.Coin).ToArray();
        Assert.Equal(LedgerStatus.DoubleSpend, again.Status);
        Assert.Equal(expected, again.Conflicts);
        Assert.Equal(LedgerStatus.DoubleSpend, swap.Status);
        Assert.Equal(expected, swap.Conflicts);
        Assert.Null(await Ledger.FindSpentAsync(Coin(7)));
    }

    [Fact]
    public async Task PartlySpentDepositCreditsTheRestAndNamesTheSpentOnes()
    {
        await FundAsync(Worker(1), 1, 100);
        var first = await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);

        var mixed = await Ledger.DepositAsync(Key("d2"), Provider(2), [Spent(2, 1, 20), Spent(1, 1, 10)]);

        Assert.True(mixed.Succeeded);
        Assert.Equal([new CoinConflict(Coin(1), first.Entry!.Sequence)], mixed.Conflicts);
        Assert.Equal([Spent(2, 1, 20)], mixed.Entry!.SpentCoins);
        Assert.Equal(20, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(2))));
        Assert.Equal(mixed.Conflicts, (await Ledger.DepositAsync(Key("d2"), Provider(2), [Spent(1, 1, 10), Spent(2, 1, 20)])).Conflicts);
    }

    [Fact]
    public async Task FindEntryReturnsOnlyAppliedEntries()
    {
        var applied = await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));
        await Ledger.WithdrawAsync(Key("w-refused"), Worker(2), [Issue(1, 10)]);

        Assert.Equal(applied.Entry!.Hash, (await Ledger.FindEntryAsync(Key("c1")))!.Hash);
        Assert.Null(await Ledger.FindEntryAsync(Key("w-refused")));
        Assert.Null(await Ledger.FindEntryAsync(Key("unknown")));
    }

    [Fact]
    public async Task AllocationDrawsOnlyOnExpiredOrWorkerAndPaysOnlyProviderOrPool()
    {
        await Assert.ThrowsAsync<ArgumentException>("from", () => Ledger.AllocateDefaultAsync(Key("a"), LedgerAccount.Provider(Provider(1)), LedgerAccount.DefaultPool, Pence(1)));
        await Assert.ThrowsAsync<ArgumentException>("from", () => Ledger.AllocateDefaultAsync(Key("a"), LedgerAccount.DefaultPool, LedgerAccount.DefaultPool, Pence(1)));
        await Assert.ThrowsAsync<ArgumentException>("from", () => Ledger.AllocateDefaultAsync(Key("a"), LedgerAccount.Outstanding(Keyset(1)), LedgerAccount.DefaultPool, Pence(1)));
        await Assert.ThrowsAsync<ArgumentException>("to", () => Ledger.AllocateDefaultAsync(Key("a"), LedgerAccount.Expired, LedgerAccount.Worker(Worker(1)), Pence(1)));
        await Assert.ThrowsAsync<ArgumentException>("to", () => Ledger.AllocateDefaultAsync(Key("a"), LedgerAccount.Expired, LedgerAccount.Expired, Pence(1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("amount", () => Ledger.AllocateDefaultAsync(Key("a"), LedgerAccount.Expired, LedgerAccount.DefaultPool, Amount.Zero));
        Assert.Equal(JournalHead.Empty, await Ledger.GetHeadAsync());
    }

    [Fact]
    public async Task EmptyOrRepeatedListsAndZeroAmountsAreCallerMistakes()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("amount", () => Ledger.ContributeAsync(Key("c"), ContributionSource.Employer, Worker(1), Amount.Zero));
        await Assert.ThrowsAsync<ArgumentException>("coins", () => Ledger.WithdrawAsync(Key("w"), Worker(1), []));
        await Assert.ThrowsAsync<ArgumentException>("coins", () => Ledger.DepositAsync(Key("d"), Provider(1), []));
        await Assert.ThrowsAsync<ArgumentException>("inputs", () => Ledger.SwapAsync(Key("s"), [], [Issue(1, 1)]));
        await Assert.ThrowsAsync<ArgumentException>("outputs", () => Ledger.SwapAsync(Key("s"), [Spent(1, 1, 1)], []));
        await Assert.ThrowsAsync<ArgumentException>("inputs", () => Ledger.SwapAsync(Key("s"), [Spent(1, 1, 1), Spent(1, 2, 1)], [Issue(1, 2)]));
        await Assert.ThrowsAsync<ArgumentNullException>("coins", () => Ledger.WithdrawAsync(Key("w"), Worker(1), [null!]));
        Assert.Equal(JournalHead.Empty, await Ledger.GetHeadAsync());
    }

    [Fact]
    public async Task OptimisticWriteThatWinsNeedsNoLockedWrite()
    {
        var store = new OptimisticTestStore(Store);
        var ledger = new SchemeLedger(store, Time);

        var result = await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));

        Assert.True(result.Succeeded);
        Assert.Equal((1, 0), (store.OptimisticWrites, store.LockedWrites));
        Assert.Equal(10, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
    }

    [Fact]
    public async Task OptimisticWriteThatLosesRunsAgainUnderTheLockAndMovesOnce()
    {
        var store = new OptimisticTestStore(Store) { ConflictOnOptimisticCommit = true };
        var ledger = new SchemeLedger(store, Time);

        var result = await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));

        Assert.True(result.Succeeded);
        Assert.False(result.IsReplay);
        Assert.Equal((1, 1), (store.OptimisticWrites, store.LockedWrites));
        Assert.Equal(10, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(1, (await ledger.GetHeadAsync()).Sequence);
        var report = await ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    [Fact]
    public async Task OptimisticAttemptThatDeclinesAReplayRunsAgainUnderTheLockAndReplays()
    {
        await FundAsync(Worker(10), 1, 10);
        Assert.True((await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(9, 1, 10)])).Succeeded);
        var store = new OptimisticTestStore(Store) { AssumeOutcomesAbsent = true };
        var ledger = new SchemeLedger(store, Time);
        var paid = await ledger.RefundAsync(Key("r1"), Provider(1), [Issue(1, 10)]);
        Assert.Equal((1, 0), (store.OptimisticWrites, store.LockedWrites));

        // The payable is spent, so the optimistic attempt, blind to the stored outcome, declines the retry; that
        // decline is not committed, so nothing checked it: the locked run finds the outcome and replays it.
        var replay = await ledger.RefundAsync(Key("r1"), Provider(1), [Issue(1, 10)]);

        Assert.Equal(LedgerStatus.Applied, paid.Status);
        Assert.Equal(LedgerStatus.Applied, replay.Status);
        Assert.True(replay.IsReplay);
        Assert.Equal(paid.Entry!.Sequence, replay.Entry!.Sequence);
        Assert.Equal((2, 1), (store.OptimisticWrites, store.LockedWrites));
        Assert.Equal(0, await ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
    }

    [Fact]
    public async Task OptimisticAttemptThatDeclinesRunsAgainUnderTheLockWhichDeclinesOnFacts()
    {
        var store = new OptimisticTestStore(Store);
        var ledger = new SchemeLedger(store, Time);

        var declined = await ledger.RefundAsync(Key("r1"), Provider(1), [Issue(1, 10)]);

        Assert.Equal(LedgerStatus.InsufficientFunds, declined.Status);
        Assert.False(declined.IsReplay);
        Assert.Equal((1, 1), (store.OptimisticWrites, store.LockedWrites));
        Assert.Equal(JournalHead.Empty, await ledger.GetHeadAsync());
    }

    [Fact]
    public async Task OutcomeNamingAnEntryTheJournalLostIsAStoreError()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));
        var store = new OptimisticTestStore(Store) { HideEntries = true };

        var error = await Assert.ThrowsAsync<LedgerStoreException>(() => new SchemeLedger(store, Time).ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10)));

        Assert.Contains("entry 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
    }

    [Fact]
    public async Task RefusalReplayCarriesNoEntry()
    {
        var refused = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 10)]);

        var replay = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 10)]);

        Assert.Equal(LedgerStatus.InsufficientFunds, refused.Status);
        Assert.False(refused.IsReplay);
        Assert.True(replay.IsReplay);
        Assert.Null(replay.Entry);
        Assert.Equal("InsufficientFunds entry=- conflicts=0 (replay)", replay.ToString());
        Assert.Equal("InsufficientFunds entry=- conflicts=0", refused.ToString());
    }
}
