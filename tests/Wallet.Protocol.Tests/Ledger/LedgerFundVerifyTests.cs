using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// Per-fund conservation as <see cref="SchemeLedger.VerifyAsync(IReadOnlyDictionary{KeysetId, string}, CancellationToken)"/>
/// checks it (docs/PROTOCOL.md 5.22): a journal forged to move training value into general is reported, by the rule that
/// needs no keyset's fund and by the per-fund balance of withdrawals, reversals and swaps given the keysets' funds; a
/// journal written before funds (training coins paid from the undivided balance) still verifies without them.
/// </summary>
public sealed class LedgerFundVerifyTests : LedgerTestBase
{
    private const string Training = "training";
    private static readonly Dictionary<KeysetId, string> Funds = new() { [Keyset(3)] = Training };

    [Fact]
    public async Task JournalOfEveryFundedOperationIsValidPerFund()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(1), Pence(100), Training);
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(100));
        await Ledger.WithdrawAsync(Key("w1"), Worker(1), [new KeysetAmount(Keyset(3), Pence(60), Training), Issue(1, 50)]);
        await Ledger.SwapAsync(Key("s1"), [Spent(1, 3, 20), Spent(2, 1, 10)], [Issue(3, 20), Issue(2, 10)]);
        await Ledger.WithdrawAsync(Key("w2"), Worker(1), [new KeysetAmount(Keyset(3), Pence(40), Training)]);
        await Ledger.ReverseWithdrawalAsync(Key("w2"), Worker(1), Pence(40));

        var report = await Ledger.VerifyAsync(Funds);

        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        Assert.Equal(6, report.EntryCount);
    }

    [Fact]
    public async Task JournalFromBeforeFundsStillVerifies()
    {
        // Before funds, training coins were paid from the worker's single (general) balance.
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(1), Pence(100));
        await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(3, 60)]);

        Assert.True((await Ledger.VerifyAsync()).IsValid);
        Assert.True((await Ledger.VerifyAsync(null)).IsValid);
        Assert.Contains("entry 2 is not balanced in fund general (-60)", (await Ledger.VerifyAsync(Funds)).Problems);
    }

    [Fact]
    public async Task EntryMovingTrainingValueIntoGeneralIsReportedWithoutKeysetFunds()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(1), Pence(100), Training);
        var first = await JournalAsync();
        var forged = JournalEntry.Create(2, EntryKind.Contribution, Key("c-forged"), Time.GetUtcNow(), first[0].Hash,
            [new Posting(LedgerAccount.WorkerFund(Worker(1), Training), -100), new Posting(LedgerAccount.Worker(Worker(1)), 100)], [], []);

        var report = await new SchemeLedger(new TamperedJournalStore(Store) { Journal = j => [.. j, forged] }, Time).VerifyAsync();

        Assert.Contains("entry 2 moves value between funds of a worker", report.Problems);
    }

    [Fact]
    public async Task CreditsToTwoFundsOrDebitsFromTwoFundsAreNotATransfer()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(1), Pence(100), Training);
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(100));
        var journal = await JournalAsync();
        var credits = JournalEntry.Create(3, EntryKind.Contribution, Key("c-two"), Time.GetUtcNow(), journal[1].Hash,
            [new Posting(LedgerAccount.Contribution(ContributionSource.Levy), -20), new Posting(LedgerAccount.WorkerFund(Worker(1), Training), 10), new Posting(LedgerAccount.Worker(Worker(1)), 10)], [], []);
        var debits = JournalEntry.Create(4, EntryKind.DefaultAllocation, Key("a-two"), Time.GetUtcNow(), credits.Hash,
            [new Posting(LedgerAccount.WorkerFund(Worker(1), Training), -10), new Posting(LedgerAccount.Worker(Worker(1)), -10), new Posting(LedgerAccount.DefaultPool, 20)], [], []);
        var sameFund = JournalEntry.Create(5, EntryKind.DefaultAllocation, Key("a-same"), Time.GetUtcNow(), debits.Hash,
            [new Posting(LedgerAccount.WorkerFund(Worker(1), Training), -10), new Posting(LedgerAccount.WorkerFund(Worker(2), Training), 10)], [], []);

        var report = await new SchemeLedger(new TamperedJournalStore(Store) { Journal = j => [.. j, credits, debits, sameFund] }, Time).VerifyAsync(Funds);

        Assert.DoesNotContain(report.Problems, p => p.Contains("between funds", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Problems, p => p.Contains("not balanced in fund", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithdrawalPayingGeneralCoinsFromTrainingIsReportedGivenTheKeysetsFunds()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Levy, Worker(1), Pence(100), Training);
        var first = await JournalAsync();
        var forged = JournalEntry.Create(2, EntryKind.Withdrawal, Key("w-forged"), Time.GetUtcNow(), first[0].Hash,
            [new Posting(LedgerAccount.WorkerFund(Worker(1), Training), -100), new Posting(LedgerAccount.Outstanding(Keyset(1)), 100)], [], []);
        var store = new TamperedJournalStore(Store) { Journal = j => [.. j, forged] };

        var withFunds = await new SchemeLedger(store, Time).VerifyAsync(Funds);
        var withoutFunds = await new SchemeLedger(store, Time).VerifyAsync();

        Assert.Contains("entry 2 is not balanced in fund general (100)", withFunds.Problems);
        Assert.Contains("entry 2 is not balanced in fund training (-100)", withFunds.Problems);
        Assert.DoesNotContain(withoutFunds.Problems, p => p.Contains("not balanced in fund", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostingsOutsideEveryFundAreLeftOutOfThePerFundBalance()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        var journal = await JournalAsync();
        var forged = JournalEntry.Create(2, EntryKind.Withdrawal, Key("w-forged"), Time.GetUtcNow(), journal[0].Hash,
            [new Posting(LedgerAccount.Worker(Worker(1)), -100), new Posting(LedgerAccount.Outstanding(Keyset(1)), 60), new Posting(LedgerAccount.Provider(Provider(1)), 40)], [], []);

        var report = await new SchemeLedger(new TamperedJournalStore(Store) { Journal = j => [.. j, forged] }, Time).VerifyAsync(Funds);

        Assert.Contains("entry 2 is not balanced in fund general (-40)", report.Problems);
    }

    [Theory]
    [InlineData(EntryKind.Swap, true)]
    [InlineData(EntryKind.WithdrawalReversal, true)]
    [InlineData(EntryKind.Deposit, false)]
    [InlineData(EntryKind.Refund, false)]
    [InlineData(EntryKind.Expiry, false)]
    public async Task OnlyEntriesThatKeepValueInsideTheFundsAreCheckedPerFund(EntryKind kind, bool checkedPerFund)
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 100)]);
        var journal = await JournalAsync();
        // Training coins made out of general coins: a fund change no swap or reversal may make.
        var forged = JournalEntry.Create(3, kind, Key("x-forged"), Time.GetUtcNow(), journal[1].Hash,
            [new Posting(LedgerAccount.Outstanding(Keyset(1)), -100), new Posting(LedgerAccount.Outstanding(Keyset(3)), 100)], [], []);

        var report = await new SchemeLedger(new TamperedJournalStore(Store) { Journal = j => [.. j, forged] }, Time).VerifyAsync(Funds);

        Assert.Equal(checkedPerFund, report.Problems.Contains("entry 3 is not balanced in fund training (100)"));
    }

    private async Task<List<JournalEntry>> JournalAsync()
    {
        var journal = new List<JournalEntry>();
        await using var tx = await Store.BeginReadAsync(CancellationToken.None);
        await foreach (var entry in tx.ReadJournalAsync(1, CancellationToken.None))
        {
            journal.Add(entry);
        }

        return journal;
    }
}
