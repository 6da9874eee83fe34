using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Storage.Testing;

/// <summary>
/// The behaviour every <see cref="ILedgerStore"/> must have, exercised through <see cref="SchemeLedger"/> and
/// directly: balances, spent coins, idempotent outcomes, the hash chain, batches, funds, faults, concurrency and
/// reopening. WalletCore's in-memory, SQLite and PostgreSQL ledger stores all pass it.
/// </summary>
/// <remarks>
/// <para>
/// To check your own store, inherit this class in an xUnit v2 test project and return a new, empty store from
/// <see cref="CreateStoreAsync"/>; xUnit then runs every test below against it. xUnit builds a new instance of the
/// class for each test and calls <see cref="InitializeAsync"/> before it and <see cref="DisposeAsync"/> after it, so
/// each test gets its own store. A durable store should also override <see cref="ReopenAsync"/> so the tests that
/// check what survives a restart really close and reopen it; a store that implements <see cref="IAsyncDisposable"/>
/// is disposed after each test (override <see cref="DisposeAsync"/> to delete files or schemas as well).
/// </para>
/// <code>
/// public sealed class MyLedgerStoreTests : LedgerStoreContract
/// {
///     private readonly string _path = Path.Combine(Path.GetTempPath(), $"ledger-{Path.GetRandomFileName()}");
///
///     protected override Task&lt;ILedgerStore&gt; CreateStoreAsync() =&gt; MyLedgerStore.OpenAsync(_path);
///
///     protected override async Task&lt;ILedgerStore&gt; ReopenAsync(ILedgerStore store)
///     {
///         await ((MyLedgerStore)store).DisposeAsync();
///         return await MyLedgerStore.OpenAsync(_path);
///     }
/// }
/// </code>
/// <para>Add tests of your store's own behaviour to the same class if you like; they run beside the contract's.</para>
/// </remarks>
public abstract partial class LedgerStoreContract : IAsyncLifetime
{
    private ILedgerStore? _store;

    /// <summary>The clock of <see cref="Ledger"/>: a fixed start that the tests advance, so entry timestamps are known.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 4, 1, 9, 30, 0, TimeSpan.Zero));

    /// <summary>The store under test: the one <see cref="CreateStoreAsync"/> returned, or <see cref="ReopenAsync"/> after a reopen.</summary>
    /// <exception cref="InvalidOperationException">Read before <see cref="InitializeAsync"/> ran.</exception>
    protected ILedgerStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>A ledger over <see cref="Store"/> and <see cref="Time"/>, as the scheme would use it.</summary>
    protected SchemeLedger Ledger => new(Store, Time);

    /// <summary>Creates a new, empty store; called once before each test.</summary>
    /// <returns>The store the test runs against.</returns>
    protected abstract Task<ILedgerStore> CreateStoreAsync();

    /// <summary>
    /// Closes and reopens <paramref name="store"/> (durable stores) or returns it (in-memory, the default); the tests
    /// that check what a restart keeps call it mid-test.
    /// </summary>
    /// <param name="store">The store to close; the contract no longer uses it afterwards.</param>
    /// <returns>The reopened store over the same data.</returns>
    protected virtual Task<ILedgerStore> ReopenAsync(ILedgerStore store) => Task.FromResult(store);

    /// <summary>Creates the test's store through <see cref="CreateStoreAsync"/> (xUnit calls it before each test).</summary>
    /// <returns>A task that completes when the store is ready.</returns>
    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <summary>Disposes the test's store if it is <see cref="IAsyncDisposable"/> (xUnit calls it after each test); override to clean up more.</summary>
    /// <returns>A task that completes when the store is disposed.</returns>
    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>Contribution credits worker from source.</summary>
    [Fact]
    public async Task ContributionCreditsWorkerFromSource()
    {
        var result = await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(1000));

        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.Equal(1000, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(-1000, await Ledger.GetBalanceAsync(LedgerAccount.Contribution(ContributionSource.Employer)));
        Assert.Equal(EntryKind.Contribution, result.Entry!.Kind);
    }

    /// <summary>Withdrawal over balance moves nothing.</summary>
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

    /// <summary>Withdrawal moves value to outstanding per keyset.</summary>
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

    /// <summary>Deposit records coins spent and credits provider.</summary>
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

    /// <summary>Second deposit of spent coin moves nothing and names first entry.</summary>
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

    /// <summary>Deposit with some spent coins credits only unspent ones.</summary>
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

    /// <summary>Deposit beyond outstanding value is refused.</summary>
    [Fact]
    public async Task DepositBeyondOutstandingValueIsRefused()
    {
        await FundAsync(Worker(1), 1, 10);

        var result = await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10), Spent(2, 1, 10)]);

        Assert.Equal(LedgerStatus.OutstandingExceeded, result.Status);
        Assert.Null(await Ledger.FindSpentAsync(Coin(1)));
        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
    }

    /// <summary>Deposit naming a coin twice is a caller mistake.</summary>
    [Fact]
    public async Task DepositNamingACoinTwiceIsACallerMistake()
    {
        await FundAsync(Worker(1), 1, 100);

        await Assert.ThrowsAsync<ArgumentException>("coins", () => Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10), Spent(1, 1, 10)]));
    }

    /// <summary>Swap spends inputs and issues equal value.</summary>
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

    /// <summary>Swap with unequal value moves nothing.</summary>
    [Fact]
    public async Task SwapWithUnequalValueMovesNothing()
    {
        await FundAsync(Worker(1), 1, 50);

        var result = await Ledger.SwapAsync(Key("s1"), [Spent(1, 1, 50)], [Issue(2, 49)]);

        Assert.Equal(LedgerStatus.ValueMismatch, result.Status);
        Assert.Null(await Ledger.FindSpentAsync(Coin(1)));
    }

    /// <summary>Swap with one spent input moves nothing.</summary>
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

    /// <summary>Expiry moves outstanding value and closes keyset.</summary>
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

    /// <summary>Default allocation moves expired value to provider or pool.</summary>
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

    /// <summary>Retry with same key returns same result with one effect.</summary>
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

    /// <summary>Refusal is remembered under its key.</summary>
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

    /// <summary>Same key for different request is refused.</summary>
    [Fact]
    public async Task SameKeyForDifferentRequestIsRefused()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));

        var reused = await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(11));

        Assert.Equal(LedgerStatus.IdempotencyKeyReused, reused.Status);
        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
    }

    /// <summary>Entries chain by hash and carry injected time.</summary>
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

    /// <summary>Stored entry round trips to identical bytes.</summary>
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

    /// <summary>Verify rebuilds state from journal and finds it consistent.</summary>
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

    /// <summary>Contributes <paramref name="value"/> to a worker and withdraws it all as coins of one keyset.</summary>
    /// <param name="worker">The worker's account.</param>
    /// <param name="keyset">The number of the keyset the coins are issued under (a deterministic keyset id).</param>
    /// <param name="value">The value contributed and withdrawn, in minor units.</param>
    /// <returns>A task that completes when both operations are applied.</returns>
    protected async Task FundAsync(AccountId worker, int keyset, long value)
    {
        var contribution = await Ledger.ContributeAsync(Key($"fund-c-{worker}-{keyset}"), ContributionSource.Employer, worker, Pence(value));
        var withdrawal = await Ledger.WithdrawAsync(Key($"fund-w-{worker}-{keyset}"), worker, [Issue(keyset, value)]);
        Assert.True(contribution.Succeeded && withdrawal.Succeeded);
    }
}
