using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Storage.Testing;

// Ring-fenced funds (docs/PROTOCOL.md 5.22) on every store: a worker's sub-balance per fund, withdrawals that debit only
// the coins' fund, cross-fund draws refused with nothing moved, and the per-fund accounts round-tripping the store.
public abstract partial class LedgerStoreContract
{
    private const string Training = "training";

    /// <summary>A contribution into a fund credits only that sub-balance and survives reopening.</summary>
    [Fact]
    public async Task ContributionIntoAFundCreditsOnlyThatSubBalanceAndSurvivesReopening()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        var levy = await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, Worker(1), Pence(300), Training);
        _store = await ReopenAsync(Store);

        Assert.Equal([new Posting(LedgerAccount.Contribution(ContributionSource.Levy), -300), new Posting(LedgerAccount.WorkerFund(Worker(1), Training), 300)], levy.Entry!.Postings);
        Assert.Equal(100, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(300, await Ledger.GetBalanceAsync(LedgerAccount.WorkerFund(Worker(1), Training)));
        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Pence(100), [Training] = Pence(300) }, await Ledger.GetFundBalancesAsync(Worker(1)));
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    /// <summary>Fund balances of a worker with nothing show an empty general fund.</summary>
    [Fact]
    public async Task FundBalancesOfAWorkerWithNothingShowAnEmptyGeneralFund()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(2), Pence(5), Training);

        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Amount.Zero }, await Ledger.GetFundBalancesAsync(Worker(1)));
    }

    /// <summary>Fund balances name only the worker asked for even when another id extends it.</summary>
    [Fact]
    public async Task FundBalancesNameOnlyTheWorkerAskedForEvenWhenAnotherIdExtendsIt()
    {
        // "w" and "w/training" are different workers; the sub-balance keys "w/training" (fund) and "w/training/training" must not mix.
        var w = new AccountId("w");
        var longer = new AccountId("w/training");
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, longer, Pence(7));
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, longer, Pence(9), Training);
        await Ledger.ContributeAsync(Key("c3"), ContributionSource.Levy, w, Pence(3), Training);

        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Amount.Zero, [Training] = Pence(3) }, await Ledger.GetFundBalancesAsync(w));
        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Pence(7), [Training] = Pence(9) }, await Ledger.GetFundBalancesAsync(longer));
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    /// <summary>The store streams exactly one worker's non-zero sub-balances.</summary>
    [Fact]
    public async Task StoreStreamsExactlyOneWorkersNonZeroSubBalances()
    {
        var w = new AccountId("w");
        var longer = new AccountId("w/training");
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, longer, Pence(9), Training);
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, w, Pence(3), Training);
        await Ledger.ContributeAsync(Key("c3"), ContributionSource.Employer, w, Pence(4));
        await Ledger.ContributeAsync(Key("c4"), ContributionSource.Levy, w, Pence(5), "zz");
        await Ledger.ContributeAsync(Key("c5"), ContributionSource.Employer, new AccountId("v"), Pence(6));
        await Ledger.WithdrawAsync(Key("w1"), w, [new KeysetAmount(Keyset(1), Pence(5), "zz")]);

        var read = new List<AccountBalance>();
        await using (var tx = await Store.BeginReadAsync(CancellationToken.None))
        {
            await foreach (var balance in tx.ReadWorkerBalancesAsync(w, CancellationToken.None))
            {
                read.Add(balance);
            }
        }

        Assert.Equal([new AccountBalance(LedgerAccount.Worker(w), 4), new AccountBalance(LedgerAccount.WorkerFund(w, Training), 3)], read);
    }

    /// <summary>A short fund with exactly enough across funds is refused as FundRestricted.</summary>
    [Fact]
    public async Task ShortFundWithExactlyEnoughAcrossFundsIsFundRestricted()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, Worker(1), Pence(50), Training);

        var exact = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 150)]);
        var over = await Ledger.WithdrawAsync(Key("w2"), Worker(1), [Issue(1, 151)]);

        Assert.Equal(LedgerStatus.FundRestricted, exact.Status);
        Assert.Equal(LedgerStatus.InsufficientFunds, over.Status);
    }

    /// <summary>A withdrawal debits only the sub-balance of its coins' fund.</summary>
    [Fact]
    public async Task WithdrawalDebitsOnlyTheSubBalanceOfItsCoinsFund()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, Worker(1), Pence(300), Training);

        var result = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [TrainingCoin(3, 150), TrainingCoin(3, 50), Issue(1, 40)]);

        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.Contains(new Posting(LedgerAccount.WorkerFund(Worker(1), Training), -200), result.Entry!.Postings);
        Assert.Contains(new Posting(LedgerAccount.Worker(Worker(1)), -40), result.Entry.Postings);
        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Pence(60), [Training] = Pence(100) }, await Ledger.GetFundBalancesAsync(Worker(1)));
        Assert.Equal(200, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(3))));
        Assert.True((await Ledger.VerifyAsync(new Dictionary<KeysetId, string> { [Keyset(3)] = Training })).IsValid);
    }

    /// <summary>General coins from training money are refused with nothing moved.</summary>
    [Fact]
    public async Task GeneralCoinsFromTrainingMoneyAreRefusedWithNothingMoved()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(1), Pence(300), Training);
        var head = await Ledger.GetHeadAsync();

        var result = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 50)]);
        var retry = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 50)]);

        Assert.Equal(LedgerStatus.FundRestricted, result.Status);
        Assert.Null(result.Entry);
        Assert.Equal(LedgerStatus.FundRestricted, retry.Status);
        Assert.True(retry.IsReplay);
        Assert.Equal(head, await Ledger.GetHeadAsync());
        Assert.Equal(300, await Ledger.GetBalanceAsync(LedgerAccount.WorkerFund(Worker(1), Training)));
        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    /// <summary>Training coins from general money are refused with nothing moved.</summary>
    [Fact]
    public async Task TrainingCoinsFromGeneralMoneyAreRefusedWithNothingMoved()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(300));

        var result = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [TrainingCoin(3, 300)]);

        Assert.Equal(LedgerStatus.FundRestricted, result.Status);
        Assert.Equal(300, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(1, (await Ledger.GetHeadAsync()).Sequence);
    }

    /// <summary>More than all funds together is insufficient funds.</summary>
    [Fact]
    public async Task MoreThanAllFundsTogetherIsInsufficientFunds()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, Worker(1), Pence(100), Training);

        var result = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 150), TrainingCoin(3, 51)]);
        var exact = await Ledger.WithdrawAsync(Key("w2"), Worker(1), [TrainingCoin(3, 101)]);

        Assert.Equal(LedgerStatus.InsufficientFunds, result.Status);
        Assert.Equal(LedgerStatus.FundRestricted, exact.Status);
        Assert.Equal(2, (await Ledger.GetHeadAsync()).Sequence);
    }

    /// <summary>One short fund refuses the whole withdrawal.</summary>
    [Fact]
    public async Task OneShortFundRefusesTheWholeWithdrawal()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, Worker(1), Pence(50), Training);

        var result = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 10), TrainingCoin(3, 60)]);

        Assert.Equal(LedgerStatus.FundRestricted, result.Status);
        Assert.Equal(100, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(50, await Ledger.GetBalanceAsync(LedgerAccount.WorkerFund(Worker(1), Training)));
    }

    /// <summary>Exact fund balance is withdrawable.</summary>
    [Fact]
    public async Task ExactFundBalanceIsWithdrawable()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(1), Pence(60), Training);

        var result = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [TrainingCoin(3, 60)]);

        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Amount.Zero }, await Ledger.GetFundBalancesAsync(Worker(1)));
    }

    /// <summary>Same key with another fund is another request.</summary>
    [Fact]
    public async Task SameKeyWithAnotherFundIsAnotherRequest()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(1), Pence(60), Training);
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(60));
        await Ledger.WithdrawAsync(Key("w1"), Worker(1), [TrainingCoin(3, 10)]);

        var contribution = await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(1), Pence(60));
        var withdrawal = await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(3, 10)]);
        var replay = await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(1), Pence(60), Training);

        Assert.Equal(LedgerStatus.IdempotencyKeyReused, contribution.Status);
        Assert.Equal(LedgerStatus.IdempotencyKeyReused, withdrawal.Status);
        Assert.True(replay.IsReplay);
        Assert.Equal(3, (await Ledger.GetHeadAsync()).Sequence);
    }

    /// <summary>Batch line credits its fund.</summary>
    [Fact]
    public async Task BatchLineCreditsItsFund()
    {
        var results = await Ledger.ContributeBatchAsync([
            new ContributionLine(Key("b1"), ContributionSource.Levy, Worker(1), Pence(30), Training),
            new ContributionLine(Key("b2"), ContributionSource.Employer, Worker(1), Pence(20)),
        ]);
        var single = await Ledger.ContributeAsync(Key("b1"), ContributionSource.Levy, Worker(1), Pence(30), Training);

        Assert.All(results, r => Assert.Equal(LedgerStatus.Applied, r.Status));
        Assert.True(single.IsReplay);
        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Pence(20), [Training] = Pence(30) }, await Ledger.GetFundBalancesAsync(Worker(1)));
    }

    /// <summary>Reversal credits each fund back what it gave.</summary>
    [Fact]
    public async Task ReversalCreditsEachFundBackWhatItGave()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, Worker(1), Pence(100), Training);
        await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 30), TrainingCoin(3, 70)]);

        var wrongAmount = await Ledger.ReverseWithdrawalAsync(Key("w1"), Worker(1), Pence(70));
        var reversal = await Ledger.ReverseWithdrawalAsync(Key("w1"), Worker(1), Pence(100));

        Assert.Equal(LedgerStatus.UnknownWithdrawal, wrongAmount.Status);
        Assert.Equal(LedgerStatus.Applied, reversal.Status);
        Assert.Contains(new Posting(LedgerAccount.WorkerFund(Worker(1), Training), 70), reversal.Entry!.Postings);
        Assert.Contains(new Posting(LedgerAccount.Worker(Worker(1)), 30), reversal.Entry.Postings);
        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Pence(100), [Training] = Pence(100) }, await Ledger.GetFundBalancesAsync(Worker(1)));
        Assert.True((await Ledger.VerifyAsync(new Dictionary<KeysetId, string> { [Keyset(3)] = Training })).IsValid);
    }

    /// <summary>A default allocation draws on a fund's sub-balance.</summary>
    [Fact]
    public async Task DefaultAllocationDrawsOnAFundSubBalance()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(1), Pence(100), Training);
        var from = LedgerAccount.WorkerFund(Worker(1), Training);

        var over = await Ledger.AllocateDefaultAsync(Key("a0"), from, LedgerAccount.DefaultPool, Pence(101));
        var result = await Ledger.AllocateDefaultAsync(Key("a1"), from, LedgerAccount.Provider(Provider(1)), Pence(100));

        Assert.Equal(LedgerStatus.InsufficientFunds, over.Status);
        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.Equal(0, await Ledger.GetBalanceAsync(from));
        Assert.Equal(100, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    private static KeysetAmount TrainingCoin(int keyset, long value) => new(Keyset(keyset), Pence(value), Training);
}
