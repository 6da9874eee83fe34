using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Storage.Testing;

// What a store itself must refuse or keep, below SchemeLedger's checks: uncommitted and refused writes, counter
// overflow, injected faults, concurrent writers, reopening and cancellation.
public abstract partial class LedgerStoreContract
{
    /// <summary>Uncommitted transaction leaves no trace.</summary>
    [Fact]
    public async Task UncommittedTransactionLeavesNoTrace()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));
        var head = await Ledger.GetHeadAsync();
        var entry = await new EntryCapture(Store, Time).CaptureAsync(l => l.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(5)));

        await using (var tx = await Store.BeginWriteAsync(CancellationToken.None))
        {
            await tx.AppendAsync(entry, CancellationToken.None);
            Assert.Equal(15, await tx.GetBalanceAsync(LedgerAccount.Worker(Worker(1)), CancellationToken.None));
        }

        Assert.Equal(head, await Ledger.GetHeadAsync());
        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
    }

    /// <summary>Store refuses entry that does not chain to head.</summary>
    [Fact]
    public async Task StoreRefusesEntryThatDoesNotChainToHead()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));
        // Entry 2 built on the genesis hash, as if entry 1 did not exist.
        var entry = await new EntryCapture(Store, Time) { Head = new JournalHead(1, EntryHash.Genesis) }
            .CaptureAsync(l => l.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(5)));

        await using var tx = await Store.BeginWriteAsync(CancellationToken.None);
        await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.AppendAsync(entry, CancellationToken.None));
    }

    /// <summary>Store refuses second spend of coin even without ledger check.</summary>
    [Fact]
    public async Task StoreRefusesSecondSpendOfCoinEvenWithoutLedgerCheck()
    {
        await FundAsync(Worker(1), 1, 100);
        await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);
        var head = await Ledger.GetHeadAsync();
        var entry = await new EntryCapture(Store, Time) { HideSpentCoins = true }
            .CaptureAsync(l => l.DepositAsync(Key("d2"), Provider(2), [Spent(1, 1, 10)]));
        Assert.Equal((head.Sequence + 1, head.Hash), (entry.Sequence, entry.PreviousHash));
        Assert.Equal([Spent(1, 1, 10)], entry.SpentCoins);

        var before = await Ledger.VerifyAsync();
        await using (var tx = await Store.BeginWriteAsync(CancellationToken.None))
        {
            await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.AppendAsync(entry, CancellationToken.None));

            // The failed append may have written part of the entry; the transaction can only roll back.
            await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.CommitAsync(CancellationToken.None));
        }

        var after = await Ledger.VerifyAsync();
        Assert.True(after.IsValid, string.Join("\n", after.Problems));
        Assert.Equal(before.Head, after.Head);
        Assert.Equal(head.Sequence, (await Ledger.GetHeadAsync()).Sequence);
        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(2))));
        Assert.Equal(head.Sequence, await Ledger.FindSpentAsync(Coin(1)));
    }

    /// <summary>Keyset counter overflow is refused and moves nothing.</summary>
    [Fact]
    public async Task KeysetCounterOverflowIsRefusedAndMovesNothing()
    {
        const long Large = 4_000_000_000_000_000_000;
        await FundAsync(Worker(1), 1, Large);
        Assert.Equal(LedgerStatus.Applied, (await Ledger.SwapAsync(Key("s1"), [Spent(1, 1, Large)], [Issue(1, Large)])).Status);
        var head = await Ledger.GetHeadAsync();
        var keyset = await Ledger.GetKeysetAsync(Keyset(1));

        // Issued would reach 12e18, past long.MaxValue, although no balance overflows.
        var result = await Ledger.SwapAsync(Key("s2"), [Spent(2, 1, Large)], [Issue(1, Large)]);
        var retry = await Ledger.SwapAsync(Key("s2"), [Spent(2, 1, Large)], [Issue(1, Large)]);

        Assert.Equal(LedgerStatus.AmountOverflow, result.Status);
        Assert.Null(result.Entry);
        Assert.True(retry.IsReplay);
        Assert.Equal(LedgerStatus.AmountOverflow, retry.Status);
        Assert.Equal(head, await Ledger.GetHeadAsync());
        Assert.Equal(keyset, await Ledger.GetKeysetAsync(Keyset(1)));
        Assert.Null(await Ledger.FindSpentAsync(Coin(2)));
        var report = await Ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    /// <summary>A swap within one keyset near long.MaxValue is refused as an overflow, not thrown.</summary>
    [Fact]
    public async Task SwapWithinOneKeysetNearMaxValueIsRefusedAsOverflowNotThrown()
    {
        const long Large = long.MaxValue - 10;
        await FundAsync(Worker(1), 1, Large);

        var result = await Ledger.SwapAsync(Key("s1"), [Spent(1, 1, Large)], [Issue(1, Large)]);

        Assert.Equal(LedgerStatus.AmountOverflow, result.Status);
        Assert.Equal(Large, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
        Assert.Null(await Ledger.FindSpentAsync(Coin(1)));
    }

    /// <summary>A contribution past long.MaxValue is refused as an overflow.</summary>
    [Fact]
    public async Task ContributionPastMaxValueIsRefusedAsOverflow()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(long.MaxValue));

        var result = await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, Worker(1), Pence(1));

        Assert.Equal(LedgerStatus.AmountOverflow, result.Status);
        Assert.Equal(long.MaxValue, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(1, (await Ledger.GetHeadAsync()).Sequence);
    }

    /// <summary>A withdrawal whose coins sum past long.MaxValue is refused as an overflow.</summary>
    [Fact]
    public async Task WithdrawalWhoseCoinsSumPastMaxValueIsRefusedAsOverflow()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));

        var result = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, long.MaxValue), Issue(2, 1)]);

        Assert.Equal(LedgerStatus.AmountOverflow, result.Status);
        Assert.Equal(100, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
    }

    /// <summary>Verify counts refusals as outcomes without entries.</summary>
    [Fact]
    public async Task VerifyCountsRefusalsAsOutcomesWithoutEntries()
    {
        await FundAsync(Worker(1), 1, 100);
        await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10), Spent(2, 1, 10)]);
        await Ledger.DepositAsync(Key("d2"), Provider(2), [Spent(1, 1, 10)]);
        await Ledger.WithdrawAsync(Key("w-over"), Worker(1), [Issue(1, 1)]);

        var report = await Ledger.VerifyAsync();
        await using var tx = await Store.BeginReadAsync(CancellationToken.None);

        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        Assert.Equal(2, await tx.CountSpentCoinsAsync(CancellationToken.None));
        Assert.Equal(report.EntryCount, await tx.CountEntryOutcomesAsync(CancellationToken.None));
    }

    /// <summary>Failed write moves nothing and retry succeeds once.</summary>
    [Theory]
    [InlineData(StoreFault.OnAppend)]
    [InlineData(StoreFault.BeforeCommit)]
    public async Task FailedWriteMovesNothingAndRetrySucceedsOnce(StoreFault fault)
    {
        await FundAsync(Worker(1), 1, 100);
        var faulty = new FaultInjectingLedgerStore(Store) { NextFault = fault };
        var ledger = new SchemeLedger(faulty, Time);

        await Assert.ThrowsAsync<LedgerStoreException>(() => ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]));
        Assert.Null(await ledger.FindSpentAsync(Coin(1)));
        Assert.Equal(0, await ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));

        var retry = await ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);
        Assert.True(retry.Succeeded);
        Assert.False(retry.IsReplay);
        Assert.Equal(10, await ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
    }

    /// <summary>A response lost after commit is replayed, not repeated.</summary>
    [Fact]
    public async Task LostResponseAfterCommitIsReplayedNotRepeated()
    {
        await FundAsync(Worker(1), 1, 100);
        var faulty = new FaultInjectingLedgerStore(Store) { NextFault = StoreFault.AfterCommit };
        var ledger = new SchemeLedger(faulty, Time);

        await Assert.ThrowsAsync<LedgerStoreException>(() => ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]));
        var retry = await ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);

        Assert.True(retry.Succeeded);
        Assert.True(retry.IsReplay);
        Assert.Equal(10, await ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
    }

    /// <summary>Concurrent deposits of same coins credit each coin exactly once.</summary>
    [Fact]
    public async Task ConcurrentDepositsOfSameCoinsCreditEachCoinExactlyOnce()
    {
        const int Coins = 40;
        const int Tasks = 16;
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(Coins * 10));
        await Ledger.WithdrawAsync(Key("w1"), Worker(1), [.. Enumerable.Range(0, Coins).Select(_ => Issue(1, 10))]);
        var coins = Enumerable.Range(0, Coins).Select(i => Spent(i, 1, 10)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(() =>
        {
            // Each task offers an overlapping, shuffled subset so conflicts are partial as well as total.
            var mine = coins.Where((_, i) => (i + t) % 3 != 0).OrderBy(c => (c.Coin.GetHashCode() * (t + 1)) & 0xffff).ToArray();
            return new SchemeLedger(Store, Time).DepositAsync(Key($"d-{t}"), Provider(t), mine);
        })));

        var credited = results.Where(r => r.Succeeded).SelectMany(r => r.Entry!.SpentCoins).Select(c => c.Coin).ToList();
        Assert.Equal(Coins, credited.Count);
        Assert.Equal(Coins, credited.Distinct().Count());
        long providers = 0;
        for (int t = 0; t < Tasks; t++)
        {
            providers += await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(t)));
        }

        Assert.Equal(Coins * 10, providers);
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    /// <summary>Batched spent lookup finds exactly the spent coins.</summary>
    [Fact]
    public async Task BatchedSpentLookupFindsExactlyTheSpentCoins()
    {
        await FundAsync(Worker(1), 1, 1000);
        var deposit = await Ledger.DepositAsync(Key("d1"), Provider(1), [.. Enumerable.Range(0, 300).Where(i => i % 3 == 0).Select(i => Spent(i, 1, 1))]);

        await using var tx = await Store.BeginReadAsync(CancellationToken.None);
        var found = await tx.FindSpentAsync([.. Enumerable.Range(0, 300).Select(i => Coin(i))], CancellationToken.None);

        Assert.Equal(100, found.Count);
        Assert.All(Enumerable.Range(0, 300), i => Assert.Equal(i % 3 == 0, found.ContainsKey(Coin(i))));
        Assert.All(found.Values, s => Assert.Equal(deposit.Entry!.Sequence, s));
    }

    /// <summary>Concurrent withdrawals never overdraw.</summary>
    [Fact]
    public async Task ConcurrentWithdrawalsNeverOverdraw()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(95));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(t => Task.Run(() =>
            new SchemeLedger(Store, Time).WithdrawAsync(Key($"w-{t}"), Worker(1), [Issue(1, 10)]))));

        Assert.Equal(9, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(LedgerStatus.InsufficientFunds, r.Status));
        Assert.Equal(5, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    /// <summary>Reopened store keeps journal balances and outcomes.</summary>
    [Fact]
    public async Task ReopenedStoreKeepsJournalBalancesAndOutcomes()
    {
        await FundAsync(Worker(1), 1, 100);
        var deposit = await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);

        _store = await ReopenAsync(Store);

        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
        var retry = await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);
        Assert.True(retry.IsReplay);
        Assert.Equal(deposit.Entry!.Hash, retry.Entry!.Hash);
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    /// <summary>Cancelled operation moves nothing.</summary>
    [Fact]
    public async Task CancelledOperationMovesNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10), cancelled.Token));

        Assert.Equal(JournalHead.Empty, await Ledger.GetHeadAsync());
    }
}
