using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// <see cref="SchemeLedger.RefundAsync"/> (docs/PROTOCOL.md 5.17): a provider's payable pays for new coins as one
/// entry; a short payable or an expired output keyset is refused with nothing moved; the key replays.
/// </summary>
public class LedgerRefundTests : LedgerTestBase
{
    [Fact]
    public async Task RefundMovesPayableToOutstandingAsOneEntry()
    {
        await SetUpWorldAsync();

        var result = await Ledger.RefundAsync(Key("r"), Provider(1), [Issue(2, 30), Issue(2, 20), Issue(1, 10)]);

        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.False(result.IsReplay);
        Assert.Empty(result.Conflicts);
        var entry = result.Entry!;
        Assert.Equal(EntryKind.Refund, entry.Kind);
        Assert.Equal(Key("r"), entry.IdempotencyKey);
        Assert.Empty(entry.SpentCoins);
        Assert.Empty(entry.ClosedKeysets);
        Assert.Equal(
            new[] { new Posting(LedgerAccount.Outstanding(Keyset(1)), 10), new Posting(LedgerAccount.Outstanding(Keyset(2)), 50), new Posting(LedgerAccount.Provider(Provider(1)), -60) }.OrderBy(p => p.Account),
            entry.Postings);
        Assert.Equal(40, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
        Assert.Equal(110, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
        Assert.Equal(50, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(2))));
        Assert.Equal(
            new[] { new KeysetEffect(Keyset(1), Pence(10), Amount.Zero, Amount.Zero, Amount.Zero, Amount.Zero, false), new KeysetEffect(Keyset(2), Pence(50), Amount.Zero, Amount.Zero, Amount.Zero, Amount.Zero, false) }.OrderBy(e => e.Keyset),
            entry.KeysetEffects);
        Assert.Equal(Pence(210), (await Ledger.GetKeysetAsync(Keyset(1))).Issued);
        Assert.Equal(Pence(50), (await Ledger.GetKeysetAsync(Keyset(2))).Issued);
        Assert.True(JournalEntry.TryDecode(entry.Encode(), out var decoded));
        Assert.Equal(entry.Hash, decoded.Hash);
        Assert.Equal(EntryKind.Refund, decoded.Kind);
        await AssertValidAsync();
    }

    [Fact]
    public async Task RefundOfExactlyThePayableEmptiesIt()
    {
        await SetUpWorldAsync();

        var result = await Ledger.RefundAsync(Key("r"), Provider(1), [Issue(1, 100)]);

        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
        await AssertValidAsync();
    }

    [Fact]
    public async Task RefundBeyondThePayableMovesNothingAndIsNotStored()
    {
        await SetUpWorldAsync();
        string before = await SnapshotAsync();

        var refused = await Ledger.RefundAsync(Key("r"), Provider(1), [Issue(1, 60), Issue(2, 41)]);

        Assert.Equal(LedgerStatus.InsufficientFunds, refused.Status);
        Assert.Null(refused.Entry);
        Assert.False(refused.IsReplay);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Null(await Ledger.FindEntryAsync(Key("r")));

        // Another provider's payable does not count; once this one is credited more, the same request applies.
        Assert.Equal(LedgerStatus.InsufficientFunds, (await Ledger.RefundAsync(Key("r2"), Provider(2), [Issue(1, 1)])).Status);
        await FundAsync(Worker(2), 3, 1);
        Assert.True((await Ledger.DepositAsync(Key("d2"), Provider(1), [Spent(9, 3, 1)])).Succeeded);
        var later = await Ledger.RefundAsync(Key("r"), Provider(1), [Issue(1, 60), Issue(2, 41)]);
        Assert.Equal(LedgerStatus.Applied, later.Status);
        Assert.False(later.IsReplay);
        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
        await AssertValidAsync();
    }

    [Fact]
    public async Task RefundIntoAnExpiredKeysetIsRefusedAndTheRefusalReplays()
    {
        await SetUpWorldAsync();
        Assert.True((await Ledger.ExpireAsync(Key("x"), Keyset(2))).Succeeded);
        string before = await SnapshotAsync();

        var refused = await Ledger.RefundAsync(Key("r"), Provider(1), [Issue(1, 10), Issue(2, 10)]);
        var again = await Ledger.RefundAsync(Key("r"), Provider(1), [Issue(1, 10), Issue(2, 10)]);

        Assert.Equal(LedgerStatus.KeysetExpired, refused.Status);
        Assert.Null(refused.Entry);
        Assert.Equal(LedgerStatus.KeysetExpired, again.Status);
        Assert.True(again.IsReplay);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task RetryReplaysTheEntryAndAnotherRequestUnderTheKeyIsRefused()
    {
        await SetUpWorldAsync();
        var first = await Ledger.RefundAsync(Key("r"), Provider(1), [Issue(1, 10), Issue(2, 20)]);
        string after = await SnapshotAsync();

        // The same outputs in another order are the same request.
        var replay = await Ledger.RefundAsync(Key("r"), Provider(1), [Issue(2, 20), Issue(1, 10)]);
        var otherOutputs = await Ledger.RefundAsync(Key("r"), Provider(1), [Issue(1, 10), Issue(2, 21)]);
        var otherProvider = await Ledger.RefundAsync(Key("r"), Provider(2), [Issue(1, 10), Issue(2, 20)]);
        var otherOperation = await Ledger.ContributeAsync(Key("r"), ContributionSource.Levy, Worker(1), Pence(30));

        Assert.True(replay.IsReplay);
        Assert.Equal(LedgerStatus.Applied, replay.Status);
        Assert.Equal(first.Entry!.Hash, replay.Entry!.Hash);
        Assert.All([otherOutputs, otherProvider, otherOperation], r => Assert.Equal(LedgerStatus.IdempotencyKeyReused, r.Status));
        Assert.Equal(after, await SnapshotAsync());
    }

    [Fact]
    public async Task ArgumentsAreCheckedBeforeAnythingIsRead()
    {
        await SetUpWorldAsync();
        string before = await SnapshotAsync();

        await Assert.ThrowsAsync<ArgumentNullException>("key", () => Ledger.RefundAsync(null!, Provider(1), [Issue(1, 1)]));
        await Assert.ThrowsAsync<ArgumentNullException>("provider", () => Ledger.RefundAsync(Key("r"), null!, [Issue(1, 1)]));
        await Assert.ThrowsAsync<ArgumentNullException>("outputs", () => Ledger.RefundAsync(Key("r"), Provider(1), null!));
        await Assert.ThrowsAsync<ArgumentNullException>("outputs", () => Ledger.RefundAsync(Key("r"), Provider(1), [null!]));
        await Assert.ThrowsAsync<ArgumentException>("outputs", () => Ledger.RefundAsync(Key("r"), Provider(1), []));

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task RefundThatWouldOverflowAKeysetCounterIsRefused()
    {
        await SetUpWorldAsync();
        // Funded from another source than the world's employer contributions, whose balance would overflow.
        Assert.True((await Ledger.ContributeAsync(Key("big-c"), ContributionSource.State, Worker(3), Pence(long.MaxValue - 1))).Succeeded);
        Assert.True((await Ledger.WithdrawAsync(Key("big-w"), Worker(3), [Issue(4, long.MaxValue - 1)])).Succeeded);
        Assert.True((await Ledger.DepositAsync(Key("big"), Provider(2), [Spent(8, 4, long.MaxValue - 1)])).Succeeded);
        string before = await SnapshotAsync();

        // Keyset 4 has issued MaxValue - 1 already; two more cannot be counted, though the payable covers them.
        var refused = await Ledger.RefundAsync(Key("r"), Provider(2), [Issue(4, 2)]);

        Assert.Equal(LedgerStatus.AmountOverflow, refused.Status);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public void RefundEntryOfTheWrongShapeDoesNotDecode()
    {
        // A refund debits provider payable and credits outstanding coins, nothing else.
        var toWorker = JournalEntry.Create(1, EntryKind.Refund, Key("r"), Time.GetUtcNow(), EntryHash.Genesis,
            [new(LedgerAccount.Provider(Provider(1)), -7), new(LedgerAccount.Worker(Worker(1)), 7)], [], []);
        var fromPool = JournalEntry.Create(1, EntryKind.Refund, Key("r"), Time.GetUtcNow(), EntryHash.Genesis,
            [new(LedgerAccount.DefaultPool, -7), new(LedgerAccount.Outstanding(Keyset(1)), 7)], [], []);
        var good = JournalEntry.Create(1, EntryKind.Refund, Key("r"), Time.GetUtcNow(), EntryHash.Genesis,
            [new(LedgerAccount.Provider(Provider(1)), -7), new(LedgerAccount.Outstanding(Keyset(1)), 7)], [], []);

        Assert.False(JournalEntry.TryDecode(toWorker.Encode(), out _));
        Assert.False(JournalEntry.TryDecode(fromPool.Encode(), out _));
        Assert.True(JournalEntry.TryDecode(good.Encode(), out var decoded));
        Assert.Equal([new KeysetEffect(Keyset(1), Pence(7), Amount.Zero, Amount.Zero, Amount.Zero, Amount.Zero, false)], decoded.KeysetEffects);
    }

    // Provider 1 holds 100 of payable from worker 1's coins of keyset 1; keyset 2 is open and empty.
    private async Task SetUpWorldAsync()
    {
        await FundAsync(Worker(1), 1, 200);
        Assert.True((await Ledger.DepositAsync(Key("d"), Provider(1), [Spent(1, 1, 60), Spent(2, 1, 40)])).Succeeded);
    }

    private async Task AssertValidAsync()
    {
        var report = await Ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }
}
