using System.Text;
using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// <see cref="SchemeLedger.PayoutAsync"/> (docs/PROTOCOL.md 5.18): a provider's payable moves to its payouts account,
/// never more than the payable, once per idempotency key; and <see cref="SchemeLedger.GetBalanceAfterAsync"/>, which
/// gives a payout's statement the payable it left.
/// </summary>
public class LedgerPayoutTests : LedgerTestBase
{
    private static readonly LedgerAccount Payable1 = LedgerAccount.Provider(Provider(1));
    private static readonly LedgerAccount Payouts1 = LedgerAccount.Payouts(Provider(1));

    [Fact]
    public async Task PayoutMovesPayableToTheProvidersPayoutsAccount()
    {
        await SetUpWorldAsync();

        var result = await Ledger.PayoutAsync(Key("p"), Provider(1), Pence(40));

        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.False(result.IsReplay);
        Assert.Empty(result.Conflicts);
        Assert.Equal(EntryKind.Payout, result.Entry!.Kind);
        Assert.Equal([new Posting(Payable1, -40), new Posting(Payouts1, 40)], result.Entry.Postings);
        Assert.Empty(result.Entry.SpentCoins);
        Assert.Empty(result.Entry.KeysetEffects);
        Assert.Equal(20, await Ledger.GetBalanceAsync(Payable1));
        Assert.Equal(40, await Ledger.GetBalanceAsync(Payouts1));
        Assert.Equal(30, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(2))));
        await AssertValidAsync();
    }

    [Fact]
    public async Task PayoutOfTheWholePayableLeavesNothingPayable()
    {
        await SetUpWorldAsync();

        var result = await Ledger.PayoutAsync(Key("p"), Provider(1), Pence(60));

        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.Equal(0, await Ledger.GetBalanceAsync(Payable1));
        Assert.Equal(60, await Ledger.GetBalanceAsync(Payouts1));
        await AssertValidAsync();
    }

    [Fact]
    public async Task PayoutOfMoreThanThePayableIsRefusedWithNothingMoved()
    {
        await SetUpWorldAsync();
        string before = await SnapshotAsync();

        var result = await Ledger.PayoutAsync(Key("p"), Provider(1), Pence(61));

        Assert.Equal(LedgerStatus.InsufficientFunds, result.Status);
        Assert.False(result.Succeeded);
        Assert.Null(result.Entry);
        Assert.Equal(before, await SnapshotAsync());

        // The refusal is the key's answer: a retry replays it even once the payable would cover it.
        Assert.True((await Ledger.AllocateDefaultAsync(Key("top-up"), LedgerAccount.Worker(Worker(3)), Payable1, Pence(5))).Succeeded);
        var retry = await Ledger.PayoutAsync(Key("p"), Provider(1), Pence(61));
        Assert.Equal((LedgerStatus.InsufficientFunds, true, (JournalEntry?)null), (retry.Status, retry.IsReplay, retry.Entry));
        await AssertValidAsync();
    }

    [Fact]
    public async Task PayoutToAProviderWithNothingPayableIsRefused()
    {
        await SetUpWorldAsync();
        string before = await SnapshotAsync();

        var result = await Ledger.PayoutAsync(Key("p"), Provider(9), Pence(1));

        Assert.Equal(LedgerStatus.InsufficientFunds, result.Status);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task RetryWithTheSameKeyReplaysThePayoutAndMovesNothingTwice()
    {
        await SetUpWorldAsync();
        var first = await Ledger.PayoutAsync(Key("p"), Provider(1), Pence(25));
        string after = await SnapshotAsync();

        var retry = await Ledger.PayoutAsync(Key("p"), Provider(1), Pence(25));

        Assert.Equal(LedgerStatus.Applied, retry.Status);
        Assert.True(retry.IsReplay);
        Assert.Equal(first.Entry!.Hash, retry.Entry!.Hash);
        Assert.Equal(after, await SnapshotAsync());
        Assert.Equal(first.Entry.Hash, (await Ledger.FindEntryAsync(Key("p")))!.Hash);
    }

    [Theory]
    [InlineData(1, 26)]
    [InlineData(2, 25)]
    public async Task TheSameKeyForAnotherPayoutIsAConflictWithNothingMoved(int provider, long amount)
    {
        await SetUpWorldAsync();
        Assert.True((await Ledger.PayoutAsync(Key("p"), Provider(1), Pence(25))).Succeeded);
        string after = await SnapshotAsync();

        var reused = await Ledger.PayoutAsync(Key("p"), Provider(provider), Pence(amount));

        Assert.Equal((LedgerStatus.IdempotencyKeyReused, false, (JournalEntry?)null), (reused.Status, reused.IsReplay, reused.Entry));
        Assert.Equal(after, await SnapshotAsync());
    }

    [Fact]
    public async Task AContributionsKeyIsNotAPayoutsKey()
    {
        await SetUpWorldAsync();

        var reused = await Ledger.PayoutAsync(Key("c"), Provider(1), Pence(1));

        Assert.Equal(LedgerStatus.IdempotencyKeyReused, reused.Status);
    }

    [Fact]
    public void APayoutsAccountIsKeyedByTheProvider()
    {
        Assert.Equal("Payouts:provider-1", Payouts1.ToString());
        Assert.Equal((LedgerAccountKind.Payouts, "provider-1"), (Payouts1.Kind, Payouts1.Key));
        Assert.NotEqual(Payable1, Payouts1);
        Assert.True(Payouts1.IsNonNegative);
        Assert.Throws<ArgumentNullException>("provider", () => LedgerAccount.Payouts(null!));
    }

    [Fact]
    public async Task CallerMistakesThrowBeforeAnythingIsRead()
    {
        await Assert.ThrowsAsync<ArgumentNullException>("key", () => Ledger.PayoutAsync(null!, Provider(1), Pence(1)));
        await Assert.ThrowsAsync<ArgumentNullException>("provider", () => Ledger.PayoutAsync(Key("p"), null!, Pence(1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("amount", () => Ledger.PayoutAsync(Key("p"), Provider(1), Amount.Zero));
    }

    [Fact]
    public async Task PayoutsBeyondTheRangeOfTheirAccountAreRefusedAsOverflow()
    {
        // Paid out in full once, the provider is credited again: a second payout would take its payouts account past 2^63 - 1.
        Assert.True((await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(long.MaxValue))).Succeeded);
        Assert.True((await Ledger.AllocateDefaultAsync(Key("a1"), LedgerAccount.Worker(Worker(1)), Payable1, Pence(long.MaxValue))).Succeeded);
        Assert.True((await Ledger.PayoutAsync(Key("p1"), Provider(1), Pence(long.MaxValue))).Succeeded);
        Assert.True((await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, Worker(1), Pence(1))).Succeeded);
        Assert.True((await Ledger.AllocateDefaultAsync(Key("a2"), LedgerAccount.Worker(Worker(1)), Payable1, Pence(1))).Succeeded);
        string before = await SnapshotAsync();

        var result = await Ledger.PayoutAsync(Key("p2"), Provider(1), Pence(1));

        Assert.Equal(LedgerStatus.AmountOverflow, result.Status);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task BalanceAfterAnEntryLeavesOutEveryLaterEntry()
    {
        await SetUpWorldAsync();
        var payout = await Ledger.PayoutAsync(Key("p"), Provider(1), Pence(40));
        long sequence = payout.Entry!.Sequence;

        Assert.Equal(20, await Ledger.GetBalanceAfterAsync(Payable1, sequence));
        Assert.Equal(60, await Ledger.GetBalanceAfterAsync(Payable1, sequence - 1));

        // Later entries: more payable and a second payout; the first payout's "after" does not move.
        Assert.True((await Ledger.AllocateDefaultAsync(Key("more"), LedgerAccount.Worker(Worker(3)), Payable1, Pence(7))).Succeeded);
        Assert.True((await Ledger.PayoutAsync(Key("p2"), Provider(1), Pence(27))).Succeeded);
        Assert.Equal(20, await Ledger.GetBalanceAfterAsync(Payable1, sequence));
        Assert.Equal(40, await Ledger.GetBalanceAfterAsync(Payouts1, sequence));
        var head = await Ledger.GetHeadAsync();
        Assert.Equal(0, await Ledger.GetBalanceAfterAsync(Payable1, head.Sequence));
        Assert.Equal(0, await Ledger.GetBalanceAfterAsync(Payable1, 1));
    }

    [Fact]
    public async Task BalanceAfterRefusesASequenceOutsideTheJournal()
    {
        await SetUpWorldAsync();
        var head = await Ledger.GetHeadAsync();

        await Assert.ThrowsAsync<ArgumentNullException>("account", () => Ledger.GetBalanceAfterAsync(null!, 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("sequence", () => Ledger.GetBalanceAfterAsync(Payable1, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("sequence", () => Ledger.GetBalanceAfterAsync(Payable1, head.Sequence + 1));
    }

    [Fact]
    public async Task APayoutEntryDecodesOnlyWhenItPaysTheProviderWhosePayableItDebits()
    {
        await SetUpWorldAsync();
        var entry = (await Ledger.PayoutAsync(Key("p"), Provider(1), Pence(40))).Entry!;
        byte[] bytes = entry.Encode();

        Assert.True(JournalEntry.TryDecode(bytes, out var decoded));
        Assert.Equal(entry.Hash, decoded.Hash);

        // The payouts line names provider-2 instead (same length): the entry still balances, but pays the wrong provider.
        byte[] tampered = ReplaceLast(bytes, "provider-1", "provider-2");
        Assert.False(JournalEntry.TryDecode(tampered, out _));

        // Credited to a worker account instead of a payouts account: not a payout's shape.
        byte[] toWorker = (byte[])bytes.Clone();
        toWorker[IndexOfLast(bytes, "provider-1") - 2] = (byte)LedgerAccountKind.Worker;
        Assert.False(JournalEntry.TryDecode(toWorker, out _));
    }

    private static byte[] ReplaceLast(byte[] bytes, string from, string to)
    {
        byte[] copy = (byte[])bytes.Clone();
        Encoding.ASCII.GetBytes(to).CopyTo(copy, IndexOfLast(bytes, from));
        return copy;
    }

    private static int IndexOfLast(byte[] bytes, string text) =>
        bytes.AsSpan().LastIndexOf(Encoding.ASCII.GetBytes(text));

    private async Task AssertValidAsync()
    {
        var report = await Ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    /// <summary>Provider 1 is owed 60 (a deposit of three coins), provider 2 30; worker 3 holds 50 unwithdrawn.</summary>
    private async Task SetUpWorldAsync()
    {
        await FundAsync(Worker(10), 1, 90);
        Assert.True((await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 20), Spent(2, 1, 20), Spent(3, 1, 20)])).Succeeded);
        Assert.True((await Ledger.DepositAsync(Key("d2"), Provider(2), [Spent(4, 1, 30)])).Succeeded);
        Assert.True((await Ledger.ContributeAsync(Key("c"), ContributionSource.Employer, Worker(3), Pence(50))).Succeeded);
    }
}
