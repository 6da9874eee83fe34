using Microsoft.Extensions.Time.Testing;
using Wallet.Protocol.Ledger;
using static Wallet.Protocol.Tests.Ledger.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// The behaviour every <see cref="ILedgerStore"/> must have, exercised through <see cref="SchemeLedger"/> and
/// directly. In-memory, SQLite (and later PostgreSQL) test classes inherit it and supply the store.
/// </summary>
public abstract partial class LedgerStoreContract : IAsyncLifetime
{
    private ILedgerStore? _store;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 4, 1, 9, 30, 0, TimeSpan.Zero));

    protected ILedgerStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    protected SchemeLedger Ledger => new(Store, Time);

    /// <summary>Creates a new, empty store.</summary>
    protected abstract Task<ILedgerStore> CreateStoreAsync();

    /// <summary>Closes and reopens the store (durable stores) or returns it (in-memory).</summary>
    protected virtual Task<ILedgerStore> ReopenAsync(ILedgerStore store) => Task.FromResult(store);

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task ContributionCreditsWorkerFromSource()
    {
        var result = await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(1000));

        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.Equal(1000, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(-1000, await Ledger.GetBalanceAsync(LedgerAccount.Contribution(ContributionSource.Employer)));
        Assert.Equal(EntryKind.Contribution, result.Entry!.Kind);
    }

    [Fact]
    public async Task WithdrawalOverBalanceMovesNothing()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.State, Worker(1), Pence(100));

        var result = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 50), Issue(1, 51)]);

        Assert.Equal(LedgerStatus.InsufficientFunds, result.Status);
        Assert.Null(result.Entry);
        Assert.Equal(100, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
        Assert.Equal(1, (await Ledger.GetHeadAsync()).Sequence);
    }

    [Fact]
    public async Task WithdrawalMovesValueToOutstandingPerKeyset()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(1), Pence(100));

        var result = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 50), Issue(2, 20), Issue(1, 10)]);

        Assert.True(result.Succeeded);
        Assert.Equal(20, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(60, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
        Assert.Equal(20, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(2))));
        Assert.Equal(Pence(60), (await Ledger.GetKeysetAsync(Keyset(1))).Issued);
    }

    [Fact]
    public async Task DepositRecordsCoinsSpentAndCreditsProvider()
    {
        await FundAsync(Worker(1), 1, 30);

        var result = await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10), Spent(2, 1, 20)]);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Conflicts);
        Assert.Equal(30, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
        Assert.Equal(result.Entry!.Sequence, await Ledger.FindSpentAsync(Coin(1)));
        Assert.Null(await Ledger.FindSpentAsync(Coin(3)));
    }

    [Fact]
    public async Task SecondDepositOfSpentCoinMovesNothingAndNamesFirstEntry()
    {
        await FundAsync(Worker(1), 1, 100);
        var first = await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);

        var second = await Ledger.DepositAsync(Key("d2"), Provider(2), [Spent(1, 1, 10)]);

        Assert.Equal(LedgerStatus.DoubleSpend, second.Status);
        Assert.Null(second.Entry);
        Assert.Equal([new CoinConflict(Coin(1), first.Entry!.Sequence)], second.Conflicts);
        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(2))));
        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
    }

    [Fact]
    public async Task DepositWithSomeSpentCoinsCreditsOnlyUnspentOnes()
    {
        await FundAsync(Worker(1), 1, 100);
        var first = await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);

        var second = await Ledger.DepositAsync(Key("d2"), Provider(2), [Spent(1, 1, 10), Spent(2, 1, 5)]);

        Assert.True(second.Succeeded);
        Assert.Equal([new CoinConflict(Coin(1), first.Entry!.Sequence)], second.Conflicts);
        Assert.Equal([Spent(2, 1, 5)], second.Entry!.SpentCoins);
        Assert.Equal(5, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(2))));
    }

    [Fact]
    public async Task DepositBeyondOutstandingValueIsRefused()
    {
        await FundAsync(Worker(1), 1, 10);

        var result = await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10), Spent(2, 1, 10)]);

        Assert.Equal(LedgerStatus.OutstandingExceeded, result.Status);
        Assert.Null(await Ledger.FindSpentAsync(Coin(1)));
        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
    }

    [Fact]
    public async Task DepositNamingACoinTwiceIsACallerMistake()
    {
        await FundAsync(Worker(1), 1, 100);

        await Assert.ThrowsAsync<ArgumentException>("coins", () => Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10), Spent(1, 1, 10)]));
    }

    [Fact]
    public async Task SwapSpendsInputsAndIssuesEqualValue()
    {
        await FundAsync(Worker(1), 1, 50);

        var result = await Ledger.SwapAsync(Key("s1"), [Spent(1, 1, 50)], [Issue(2, 20), Issue(2, 20), Issue(1, 10)]);

        Assert.True(result.Succeeded);
        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
        Assert.Equal(40, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(2))));
        var totals = await Ledger.GetKeysetAsync(Keyset(1));
        Assert.Equal((Pence(60), Pence(50)), (totals.Issued, totals.SwappedIn));
        Assert.NotNull(await Ledger.FindSpentAsync(Coin(1)));
    }

    [Fact]
    public async Task SwapWithUnequalValueMovesNothing()
    {
        await FundAsync(Worker(1), 1, 50);

        var result = await Ledger.SwapAsync(Key("s1"), [Spent(1, 1, 50)], [Issue(2, 49)]);

        Assert.Equal(LedgerStatus.ValueMismatch, result.Status);
        Assert.Null(await Ledger.FindSpentAsync(Coin(1)));
    }

    [Fact]
    public async Task SwapWithOneSpentInputMovesNothing()
    {
        await FundAsync(Worker(1), 1, 100);
        await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);

        var result = await Ledger.SwapAsync(Key("s1"), [Spent(1, 1, 10), Spent(2, 1, 10)], [Issue(2, 20)]);

        Assert.Equal(LedgerStatus.DoubleSpend, result.Status);
        Assert.Single(result.Conflicts);
        Assert.Null(await Ledger.FindSpentAsync(Coin(2)));
        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(2))));
    }

    [Fact]
    public async Task ExpiryMovesOutstandingValueAndClosesKeyset()
    {
        await FundAsync(Worker(1), 1, 70);
        await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 20)]);

        var result = await Ledger.ExpireAsync(Key("e1"), Keyset(1));

        Assert.True(result.Succeeded);
        Assert.Equal(50, await Ledger.GetBalanceAsync(LedgerAccount.Expired));
        var totals = await Ledger.GetKeysetAsync(Keyset(1));
        Assert.True(totals.IsExpired);
        Assert.Equal(Pence(50), totals.Expired);
        Assert.Equal(LedgerStatus.KeysetExpired, (await Ledger.DepositAsync(Key("d2"), Provider(1), [Spent(2, 1, 10)])).Status);
        Assert.Equal(LedgerStatus.KeysetExpired, (await Ledger.ExpireAsync(Key("e2"), Keyset(1))).Status);
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.State, Worker(1), Pence(5));
        Assert.Equal(LedgerStatus.KeysetExpired, (await Ledger.WithdrawAsync(Key("w2"), Worker(1), [Issue(1, 5)])).Status);
    }

    [Fact]
    public async Task DefaultAllocationMovesExpiredValueToProviderOrPool()
    {
        await FundAsync(Worker(1), 1, 70);
        await Ledger.ExpireAsync(Key("e1"), Keyset(1));
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Worker, Worker(2), Pence(9));

        var toProvider = await Ledger.AllocateDefaultAsync(Key("a1"), LedgerAccount.Expired, LedgerAccount.Provider(Provider(1)), Pence(60));
        var toPool = await Ledger.AllocateDefaultAsync(Key("a2"), LedgerAccount.Worker(Worker(2)), LedgerAccount.DefaultPool, Pence(9));
        var overdraw = await Ledger.AllocateDefaultAsync(Key("a3"), LedgerAccount.Expired, LedgerAccount.DefaultPool, Pence(11));

        Assert.True(toProvider.Succeeded);
        Assert.True(toPool.Succeeded);
        Assert.Equal(LedgerStatus.InsufficientFunds, overdraw.Status);
        Assert.Equal(60, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
        Assert.Equal(9, await Ledger.GetBalanceAsync(LedgerAccount.DefaultPool));
        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Expired));
    }

    [Fact]
    public async Task RetryWithSameKeyReturnsSameResultWithOneEffect()
    {
        await FundAsync(Worker(1), 1, 100);
        var first = await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10), Spent(2, 1, 20)]);

        var retry = await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(2, 1, 20), Spent(1, 1, 10)]);

        Assert.True(retry.IsReplay);
        Assert.Equal(first.Status, retry.Status);
        Assert.Equal(first.Entry!.Hash, retry.Entry!.Hash);
        Assert.Equal(30, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
        Assert.Equal(first.Entry.Sequence, (await Ledger.GetHeadAsync()).Sequence);
    }

    [Fact]
    public async Task RefusalIsRememberedUnderItsKey()
    {
        var refused = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 10)]);
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));

        var retry = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 10)]);

        Assert.Equal(LedgerStatus.InsufficientFunds, refused.Status);
        Assert.Equal(LedgerStatus.InsufficientFunds, retry.Status);
        Assert.True(retry.IsReplay);
        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
    }

    [Fact]
    public async Task SameKeyForDifferentRequestIsRefused()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));

        var reused = await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(11));

        Assert.Equal(LedgerStatus.IdempotencyKeyReused, reused.Status);
        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
    }

    [Fact]
    public async Task EntriesChainByHashAndCarryInjectedTime()
    {
        var first = await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));
        Time.Advance(TimeSpan.FromMinutes(5));
        var second = await Ledger.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(10));

        Assert.Equal(EntryHash.Genesis, first.Entry!.PreviousHash);
        Assert.Equal(first.Entry.Hash, second.Entry!.PreviousHash);
        Assert.Equal(Time.GetUtcNow(), second.Entry.Timestamp);
        Assert.Equal(new JournalHead(2, second.Entry.Hash), await Ledger.GetHeadAsync());
    }

    [Fact]
    public async Task StoredEntryRoundTripsToIdenticalBytes()
    {
        await FundAsync(Worker(1), 1, 100);
        var deposit = await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);

        await using var tx = await Store.BeginReadAsync(CancellationToken.None);
        var stored = await tx.GetEntryAsync(deposit.Entry!.Sequence, CancellationToken.None);

        Assert.Equal(deposit.Entry.Encode(), stored!.Encode());
        Assert.Equal(deposit.Entry.Hash, stored.Hash);
    }

    [Fact]
    public async Task VerifyRebuildsStateFromJournalAndFindsItConsistent()
    {
        await FundAsync(Worker(1), 1, 100);
        await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);
        await Ledger.SwapAsync(Key("s1"), [Spent(2, 1, 30)], [Issue(2, 30)]);
        await Ledger.ExpireAsync(Key("e1"), Keyset(1));

        var report = await Ledger.VerifyAsync();

        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        Assert.Equal(5, report.EntryCount);
    }

    [Fact]
    public async Task UncommittedTransactionLeavesNoTrace()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));
        var head = await Ledger.GetHeadAsync();
        var entry = JournalEntry.Create(head.Sequence + 1, EntryKind.Contribution, Key("c2"), Time.GetUtcNow(), head.Hash,
            [new Posting(LedgerAccount.Contribution(ContributionSource.Employer), -5), new Posting(LedgerAccount.Worker(Worker(1)), 5)], [], []);

        await using (var tx = await Store.BeginWriteAsync(CancellationToken.None))
        {
            await tx.AppendAsync(entry, CancellationToken.None);
            Assert.Equal(15, await tx.GetBalanceAsync(LedgerAccount.Worker(Worker(1)), CancellationToken.None));
        }

        Assert.Equal(head, await Ledger.GetHeadAsync());
        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
    }

    [Fact]
    public async Task StoreRefusesEntryThatDoesNotChainToHead()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));
        var entry = JournalEntry.Create(2, EntryKind.Contribution, Key("c2"), Time.GetUtcNow(), EntryHash.Genesis,
            [new Posting(LedgerAccount.Contribution(ContributionSource.Employer), -5), new Posting(LedgerAccount.Worker(Worker(1)), 5)], [], []);

        await using var tx = await Store.BeginWriteAsync(CancellationToken.None);
        await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.AppendAsync(entry, CancellationToken.None));
    }

    [Fact]
    public async Task StoreRefusesSecondSpendOfCoinEvenWithoutLedgerCheck()
    {
        await FundAsync(Worker(1), 1, 100);
        await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);
        var head = await Ledger.GetHeadAsync();
        var entry = JournalEntry.Create(head.Sequence + 1, EntryKind.Deposit, Key("d2"), Time.GetUtcNow(), head.Hash,
            [new Posting(LedgerAccount.Outstanding(Keyset(1)), -10), new Posting(LedgerAccount.Provider(Provider(2)), 10)], [Spent(1, 1, 10)], []);

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

    [Fact]
    public async Task ContributionPastMaxValueIsRefusedAsOverflow()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(long.MaxValue));

        var result = await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, Worker(1), Pence(1));

        Assert.Equal(LedgerStatus.AmountOverflow, result.Status);
        Assert.Equal(long.MaxValue, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(1, (await Ledger.GetHeadAsync()).Sequence);
    }

    [Fact]
    public async Task WithdrawalWhoseCoinsSumPastMaxValueIsRefusedAsOverflow()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));

        var result = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, long.MaxValue), Issue(2, 1)]);

        Assert.Equal(LedgerStatus.AmountOverflow, result.Status);
        Assert.Equal(100, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
    }

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

    [Fact]
    public async Task CancelledOperationMovesNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10), cancelled.Token));

        Assert.Equal(JournalHead.Empty, await Ledger.GetHeadAsync());
    }

    /// <summary>Contributes <paramref name="value"/> to a worker and withdraws it all as coins of one keyset.</summary>
    protected async Task FundAsync(AccountId worker, int keyset, long value)
    {
        var contribution = await Ledger.ContributeAsync(Key($"fund-c-{worker}-{keyset}"), ContributionSource.Employer, worker, Pence(value));
        var withdrawal = await Ledger.WithdrawAsync(Key($"fund-w-{worker}-{keyset}"), worker, [Issue(keyset, value)]);
        Assert.True(contribution.Succeeded && withdrawal.Succeeded);
    }
}
