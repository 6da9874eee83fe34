using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// Account lines as the journal decoder rebuilds them: <see cref="LedgerAccount.TryCreate"/> accepts exactly the
/// keys each kind can carry, and the canonical order (kind, then key by ordinal) is the one entries are sorted by.
/// </summary>
public sealed class LedgerAccountTests
{
    [Theory]
    [InlineData("employer", true)]
    [InlineData("worker", true)]
    [InlineData("levy", true)]
    [InlineData("state", true)]
    [InlineData("", false)]
    [InlineData("Employer", false)]
    [InlineData("charity", false)]
    public void ContributionSourceKeyIsOneOfTheNamedSources(string key, bool valid)
    {
        Assert.Equal(valid, LedgerAccount.TryCreate(LedgerAccountKind.ContributionSource, key, out var account));
        if (valid)
        {
            Assert.Equal(key, account!.Key);
            Assert.False(account.IsNonNegative);
        }
    }

    [Fact]
    public void EachContributionSourceHasItsOwnKey()
    {
        Assert.Equal("employer", LedgerAccount.Contribution(ContributionSource.Employer).Key);
        Assert.Equal("worker", LedgerAccount.Contribution(ContributionSource.Worker).Key);
        Assert.Equal("levy", LedgerAccount.Contribution(ContributionSource.Levy).Key);
        Assert.Equal("state", LedgerAccount.Contribution(ContributionSource.State).Key);
        Assert.Throws<ArgumentOutOfRangeException>(() => LedgerAccount.Contribution((ContributionSource)0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LedgerAccount.Contribution((ContributionSource)5));
    }

    [Theory]
    [InlineData(LedgerAccountKind.Worker)]
    [InlineData(LedgerAccountKind.ProviderPayable)]
    [InlineData(LedgerAccountKind.Payouts)]
    public void AccountKeyIsAPrintableAsciiToken(LedgerAccountKind kind)
    {
        Assert.True(LedgerAccount.TryCreate(kind, "!", out _));
        Assert.True(LedgerAccount.TryCreate(kind, "~", out _));
        Assert.True(LedgerAccount.TryCreate(kind, new string('a', AccountId.MaxLength), out var longest));
        Assert.True(longest!.IsNonNegative);
        Assert.False(LedgerAccount.TryCreate(kind, "", out _));
        Assert.False(LedgerAccount.TryCreate(kind, " ", out _));
        Assert.False(LedgerAccount.TryCreate(kind, "a b", out _));
        Assert.False(LedgerAccount.TryCreate(kind, "\u007f", out _));
        Assert.False(LedgerAccount.TryCreate(kind, new string('a', AccountId.MaxLength + 1), out _));
        Assert.False(LedgerAccount.TryCreate(kind, null, out _));
    }

    [Fact]
    public void OutstandingKeyIsALowerCaseKeysetId()
    {
        string hex = Keyset(1).ToString();

        Assert.True(LedgerAccount.TryCreate(LedgerAccountKind.Outstanding, hex, out var account));
        Assert.Equal(Keyset(1), account!.GetKeyset());
        Assert.Equal(LedgerAccount.Outstanding(Keyset(1)), account);
        Assert.False(LedgerAccount.TryCreate(LedgerAccountKind.Outstanding, hex.ToUpperInvariant(), out _));
        Assert.False(LedgerAccount.TryCreate(LedgerAccountKind.Outstanding, hex[1..], out _));
        Assert.False(LedgerAccount.TryCreate(LedgerAccountKind.Outstanding, hex + "0", out _));
        Assert.False(LedgerAccount.TryCreate(LedgerAccountKind.Outstanding, "g" + hex[1..], out _));
    }

    [Theory]
    [InlineData(LedgerAccountKind.DefaultPool)]
    [InlineData(LedgerAccountKind.Expired)]
    public void SchemeAccountsHaveNoKey(LedgerAccountKind kind)
    {
        Assert.True(LedgerAccount.TryCreate(kind, "", out var account));
        Assert.Same(kind == LedgerAccountKind.Expired ? LedgerAccount.Expired : LedgerAccount.DefaultPool, account);
        Assert.Null(account!.GetKeyset());
        Assert.False(LedgerAccount.TryCreate(kind, "x", out _));
    }

    [Fact]
    public void UndefinedKindIsRefused()
    {
        Assert.False(LedgerAccount.TryCreate(0, "", out _));
        Assert.False(LedgerAccount.TryCreate((LedgerAccountKind)8, "x", out _));
    }

    [Fact]
    public void OrderIsByKindThenKeyOrdinal()
    {
        var source = LedgerAccount.Contribution(ContributionSource.State);
        var upper = LedgerAccount.Worker(new AccountId("Z"));
        var lower = LedgerAccount.Worker(new AccountId("a"));

        Assert.True(source.CompareTo(upper) < 0);
        Assert.True(upper.CompareTo(source) > 0);
        Assert.True(upper.CompareTo(lower) < 0);
        Assert.True(lower.CompareTo(upper) > 0);
        Assert.Equal(0, lower.CompareTo(LedgerAccount.Worker(new AccountId("a"))));
        Assert.True(lower.CompareTo(null) > 0);
    }

    [Fact]
    public void EqualityIsByKindAndKey()
    {
        var worker = LedgerAccount.Worker(new AccountId("same"));
        var provider = LedgerAccount.Provider(new AccountId("same"));

        Assert.NotEqual(worker, provider);
        Assert.True(worker != provider);
        Assert.False(worker == provider);
        Assert.True(worker == LedgerAccount.Worker(new AccountId("same")));
        Assert.Equal(worker.GetHashCode(), LedgerAccount.Worker(new AccountId("same")).GetHashCode());
        Assert.False(worker.Equals((object?)null));
        Assert.True((LedgerAccount?)null == null);
        Assert.False(worker == null);
    }

    [Fact]
    public void DisplayFormNamesKindAndKey()
    {
        Assert.Equal("Worker:w", LedgerAccount.Worker(new AccountId("w")).ToString());
        Assert.Equal("Expired", LedgerAccount.Expired.ToString());
        Assert.Equal("DefaultPool", LedgerAccount.DefaultPool.ToString());
    }
}
