using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// A worker's sub-balance per fund (docs/PROTOCOL.md 5.22): <see cref="LedgerAccount.WorkerFund"/> keys it
/// <c>account/fund</c>, keeps the general fund on the worker's own account, and the decoder accepts exactly those keys.
/// </summary>
public sealed class LedgerFundAccountTests
{
    [Fact]
    public void GeneralFundIsTheWorkersOwnAccount()
    {
        Assert.Equal(LedgerAccount.Worker(Worker(1)), LedgerAccount.WorkerFund(Worker(1), "general"));
    }

    [Fact]
    public void RestrictedFundIsKeyedByAccountThenFund()
    {
        var account = LedgerAccount.WorkerFund(new AccountId("a/b"), "training");

        Assert.Equal(LedgerAccountKind.WorkerFund, account.Kind);
        Assert.Equal("a/b/training", account.Key);
        Assert.True(account.IsNonNegative);
        Assert.Equal(new AccountId("a/b"), account.GetWorker());
        Assert.Equal("training", account.GetFund());
        Assert.Equal("WorkerFund:a/b/training", account.ToString());
        Assert.True(LedgerAccount.TryCreate(LedgerAccountKind.WorkerFund, "a/b/training", out var decoded));
        Assert.Equal(account, decoded);
    }

    [Fact]
    public void OnlyWorkerAccountsHaveAWorkerAndAFund()
    {
        Assert.Equal(Worker(1), LedgerAccount.Worker(Worker(1)).GetWorker());
        Assert.Equal("general", LedgerAccount.Worker(Worker(1)).GetFund());
        foreach (var other in new[] { LedgerAccount.Provider(Provider(1)), LedgerAccount.Payouts(Provider(1)), LedgerAccount.Outstanding(Keyset(1)), LedgerAccount.DefaultPool, LedgerAccount.Expired, LedgerAccount.Contribution(ContributionSource.Levy) })
        {
            Assert.Null(other.GetWorker());
            Assert.Null(other.GetFund());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("with space")]
    [InlineData("caf\u00e9")]
    public void FundThatIsNotALedgerFundTokenIsRefused(string fund)
    {
        Assert.Throws<ArgumentException>(() => LedgerAccount.WorkerFund(Worker(1), fund));
        Assert.Throws<ArgumentException>(() => new KeysetAmount(Keyset(1), Pence(1), fund));
        Assert.Throws<ArgumentException>(() => new ContributionLine(Key("k"), ContributionSource.Levy, Worker(1), Pence(1), fund));
    }

    [Fact]
    public void FundOfTheLongestLengthIsAcceptedAndOneLongerRefused()
    {
        Assert.Equal(new string('f', 128), LedgerAccount.WorkerFund(Worker(1), new string('f', 128)).GetFund());
        Assert.Throws<ArgumentException>(() => LedgerAccount.WorkerFund(Worker(1), new string('f', 129)));
    }

    [Fact]
    public void NullArgumentsAreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => LedgerAccount.WorkerFund(null!, "training"));
        Assert.Throws<ArgumentNullException>(() => LedgerAccount.WorkerFund(Worker(1), null!));
        Assert.Throws<ArgumentNullException>(() => new KeysetAmount(Keyset(1), Pence(1), null!));
        Assert.Throws<ArgumentNullException>(() => new ContributionLine(Key("k"), ContributionSource.Levy, Worker(1), Pence(1), null!));
    }

    [Fact]
    public void FundDefaultsToGeneralAndIsKeptWhenGiven()
    {
        Assert.Equal("general", Issue(1, 5).Fund);
        Assert.Equal("general", new ContributionLine(Key("k"), ContributionSource.Levy, Worker(1), Pence(1)).Fund);
        Assert.Equal("training", new KeysetAmount(Keyset(1), Pence(1), "training").Fund);
        Assert.Equal("training", new ContributionLine(Key("k"), ContributionSource.Levy, Worker(1), Pence(1), "training").Fund);
    }

    [Theory]
    [InlineData("w/training", true)]
    [InlineData("a/b/training", true)]
    [InlineData("w/t", true)]
    [InlineData("w/general", false)]
    [InlineData("w/", false)]
    [InlineData("/training", false)]
    [InlineData("training", false)]
    [InlineData("", false)]
    [InlineData("w /training", false)]
    [InlineData("w/train ing", false)]
    public void WorkerFundKeyIsAWorkerAndARestrictedFund(string key, bool valid)
    {
        Assert.Equal(valid, LedgerAccount.TryCreate(LedgerAccountKind.WorkerFund, key, out var account));
        Assert.Equal(valid ? key : null, account?.Key);
    }

    [Fact]
    public void WorkerFundKeyWithAnOverlongWorkerOrFundIsRefused()
    {
        Assert.False(LedgerAccount.TryCreate(LedgerAccountKind.WorkerFund, $"{new string('w', 129)}/training", out _));
        Assert.False(LedgerAccount.TryCreate(LedgerAccountKind.WorkerFund, $"w/{new string('f', 129)}", out _));
        Assert.True(LedgerAccount.TryCreate(LedgerAccountKind.WorkerFund, $"{new string('w', 128)}/{new string('f', 128)}", out _));
    }

    [Fact]
    public void SubBalancesSortAfterEveryOtherKindSoOldEntriesKeepTheirOrder()
    {
        Assert.True(LedgerAccount.WorkerFund(Worker(1), "training").CompareTo(LedgerAccount.Payouts(Provider(1))) > 0);
        Assert.True(LedgerAccount.WorkerFund(Worker(1), "training").CompareTo(LedgerAccount.Worker(Worker(1))) > 0);
    }
}

/// <summary>The journal decoder accepts a fund sub-balance exactly where it accepts the worker's general account.</summary>
public sealed class JournalEntryFundShapeTests
{
    [Theory]
    [InlineData(EntryKind.Contribution, LedgerAccountKind.ContributionSource, "employer", LedgerAccountKind.WorkerFund, "w/training", true)]
    [InlineData(EntryKind.Withdrawal, LedgerAccountKind.WorkerFund, "w/training", LedgerAccountKind.Outstanding, null, true)]
    [InlineData(EntryKind.WithdrawalReversal, LedgerAccountKind.Outstanding, null, LedgerAccountKind.WorkerFund, "w/training", true)]
    [InlineData(EntryKind.DefaultAllocation, LedgerAccountKind.WorkerFund, "w/training", LedgerAccountKind.DefaultPool, "", true)]
    [InlineData(EntryKind.Contribution, LedgerAccountKind.WorkerFund, "w/training", LedgerAccountKind.Worker, "w", false)]
    [InlineData(EntryKind.Withdrawal, LedgerAccountKind.Outstanding, null, LedgerAccountKind.WorkerFund, "w/training", false)]
    [InlineData(EntryKind.DefaultAllocation, LedgerAccountKind.DefaultPool, "", LedgerAccountKind.WorkerFund, "w/training", false)]
    [InlineData(EntryKind.Deposit, LedgerAccountKind.WorkerFund, "w/training", LedgerAccountKind.ProviderPayable, "p", false)]
    [InlineData(EntryKind.Refund, LedgerAccountKind.WorkerFund, "w/training", LedgerAccountKind.Outstanding, null, false)]
    public void FundSubBalanceFitsTheKindsThatMoveAWorkersMoney(EntryKind kind, LedgerAccountKind debited, string? debitedKey, LedgerAccountKind credited, string? creditedKey, bool fits)
    {
        string keyset = Keyset(1).ToString();
        var entry = JournalEntry.Create(1, kind, Key("k"), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), EntryHash.Genesis,
            [new Posting(Account(debited, debitedKey ?? keyset), -5), new Posting(Account(credited, creditedKey ?? keyset), 5)], [], []);

        Assert.Equal(fits, JournalEntry.TryDecode(entry.Encode(), out _));
    }

    private static LedgerAccount Account(LedgerAccountKind kind, string key) =>
        LedgerAccount.TryCreate(kind, key, out var account) ? account : throw new ArgumentException(key);
}
