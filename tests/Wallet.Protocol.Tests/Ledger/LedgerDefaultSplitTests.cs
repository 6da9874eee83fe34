using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// <see cref="SchemeLedger.AllocateDefaultSplitAsync"/> (docs/PROTOCOL.md 5.24): a worker's balance split across several
/// destinations in one entry, never more than the balance, once per key.
/// </summary>
public class LedgerDefaultSplitTests : LedgerTestBase
{
    private static readonly LedgerAccount From = LedgerAccount.Worker(Worker(1));
    private static readonly LedgerAccount To1 = LedgerAccount.Provider(Provider(1));
    private static readonly LedgerAccount To2 = LedgerAccount.Provider(Provider(2));

    private static KeyValuePair<LedgerAccount, Amount>[] Parts(long first, long second, long pooled = 0) =>
        [new(To1, Pence(first)), new(To2, Pence(second)), .. pooled > 0 ? [new KeyValuePair<LedgerAccount, Amount>(LedgerAccount.DefaultPool, Pence(pooled))] : Array.Empty<KeyValuePair<LedgerAccount, Amount>>()];

    [Fact]
    public async Task SplitMovesEachPartInOneEntry()
    {
        await ContributeAsync(100);

        var result = await Ledger.AllocateDefaultSplitAsync(Key("u"), From, Parts(50, 30, 20));

        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.False(result.IsReplay);
        Assert.Equal(EntryKind.DefaultAllocation, result.Entry!.Kind);
        Assert.Equal([new Posting(From, -100), new Posting(To1, 50), new Posting(To2, 30), new Posting(LedgerAccount.DefaultPool, 20)], result.Entry.Postings);
        Assert.Equal(0, await Ledger.GetBalanceAsync(From));
        Assert.Equal(50, await Ledger.GetBalanceAsync(To1));
        Assert.Equal(30, await Ledger.GetBalanceAsync(To2));
        Assert.Equal(20, await Ledger.GetBalanceAsync(LedgerAccount.DefaultPool));
        await AssertValidAsync();
    }

    [Fact]
    public async Task SplitOfLessThanTheBalanceLeavesTheRest()
    {
        await ContributeAsync(100);

        var result = await Ledger.AllocateDefaultSplitAsync(Key("u"), From, Parts(30, 20));

        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.Equal(50, await Ledger.GetBalanceAsync(From));
        Assert.Equal(LedgerStatus.InsufficientFunds, (await Ledger.AllocateDefaultSplitAsync(Key("v"), From, Parts(30, 21))).Status);
        Assert.Equal(LedgerStatus.Applied, (await Ledger.AllocateDefaultSplitAsync(Key("w"), From, Parts(30, 20))).Status);
        Assert.Equal(0, await Ledger.GetBalanceAsync(From));
    }

    [Fact]
    public async Task SplitOfMoreThanTheBalanceIsRefusedWithNothingMoved()
    {
        await ContributeAsync(100);
        long head = (await Ledger.GetHeadAsync()).Sequence;

        var result = await Ledger.AllocateDefaultSplitAsync(Key("u"), From, Parts(60, 41));

        Assert.Equal(LedgerStatus.InsufficientFunds, result.Status);
        Assert.Null(result.Entry);
        Assert.Equal(head, (await Ledger.GetHeadAsync()).Sequence);
        Assert.Equal(100, await Ledger.GetBalanceAsync(From));
        Assert.Equal(0, await Ledger.GetBalanceAsync(To1));
        await AssertValidAsync();
    }

    [Fact]
    public async Task RetriedSplitAppliesNothingTwiceAndAnotherSplitUnderTheKeyIsRefused()
    {
        await ContributeAsync(200);

        var first = await Ledger.AllocateDefaultSplitAsync(Key("u"), From, Parts(50, 50));
        var again = await Ledger.AllocateDefaultSplitAsync(Key("u"), From, Parts(50, 50));
        var other = await Ledger.AllocateDefaultSplitAsync(Key("u"), From, Parts(60, 40));
        var single = await Ledger.AllocateDefaultAsync(Key("u"), From, To1, Pence(50));
        var sameTotalAsSingle = await Ledger.AllocateDefaultSplitAsync(Key("s"), From, [new(To1, Pence(10))]);
        var singleUnderSplitKey = await Ledger.AllocateDefaultAsync(Key("s"), From, To1, Pence(10));

        Assert.True(again.IsReplay);
        Assert.Equal(first.Entry!.Sequence, again.Entry!.Sequence);
        Assert.Equal(LedgerStatus.IdempotencyKeyReused, other.Status);
        Assert.Equal(LedgerStatus.IdempotencyKeyReused, single.Status);
        Assert.Equal(LedgerStatus.Applied, sameTotalAsSingle.Status);
        Assert.Equal(LedgerStatus.IdempotencyKeyReused, singleUnderSplitKey.Status);
        Assert.Equal(90, await Ledger.GetBalanceAsync(From));
        Assert.Equal(60, await Ledger.GetBalanceAsync(To1));
        await AssertValidAsync();
    }

    [Fact]
    public async Task SplitWithBadArgumentsIsRefusedBeforeAnythingRuns()
    {
        await ContributeAsync(100);

        await Assert.ThrowsAsync<ArgumentNullException>(() => Ledger.AllocateDefaultSplitAsync(null!, From, Parts(1, 1)));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Ledger.AllocateDefaultSplitAsync(Key("u"), null!, Parts(1, 1)));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Ledger.AllocateDefaultSplitAsync(Key("u"), From, null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Ledger.AllocateDefaultSplitAsync(Key("u"), From, [new(null!, Pence(1))]));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AllocateDefaultSplitAsync(Key("u"), LedgerAccount.Expired, Parts(1, 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AllocateDefaultSplitAsync(Key("u"), From, []));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AllocateDefaultSplitAsync(Key("u"), From, [new(LedgerAccount.Worker(Worker(2)), Pence(1))]));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AllocateDefaultSplitAsync(Key("u"), From, [new(To1, Pence(1)), new(To1, Pence(2))]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Ledger.AllocateDefaultSplitAsync(Key("u"), From, Parts(0, 1)));
        await Assert.ThrowsAsync<OverflowException>(() => Ledger.AllocateDefaultSplitAsync(Key("u"), From, Parts(long.MaxValue, 1)));

        Assert.Equal(1, (await Ledger.GetHeadAsync()).Sequence);
        Assert.Equal(100, await Ledger.GetBalanceAsync(From));
    }

    private async Task AssertValidAsync()
    {
        var report = await Ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    private async Task ContributeAsync(long value) =>
        Assert.True((await Ledger.ContributeAsync(Key("c"), ContributionSource.Employer, Worker(1), Pence(value))).Succeeded);
}
