using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// <see cref="SchemeLedger.ReverseWithdrawalAsync"/>: a withdrawal that can never be issued goes back to the worker
/// once, under the key derived from the withdrawal's; anything else is refused with nothing moved. In memory here;
/// the SQLite and PostgreSQL suites run the same cases on their stores.
/// </summary>
public class LedgerReversalTests : LedgerTestBase
{
    private static readonly Dictionary<string, (Func<SchemeLedger, Task<LedgerResult>> First, Func<SchemeLedger, Task<LedgerResult>> Reuse)> ReuseCases = new()
    {
        ["reverse/worker"] = (l => l.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60)),
            l => l.ReverseWithdrawalAsync(Key("w"), Worker(2), Pence(60))),
        ["reverse/amount"] = (l => l.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60)),
            l => l.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(59))),
        ["operation/contribute-then-reverse"] = (l => l.ContributeAsync(SchemeLedger.ReversalKey(Key("w")), ContributionSource.Levy, Worker(1), Pence(5)),
            l => l.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60))),
        ["operation/reverse-then-contribute"] = (l => l.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60)),
            l => l.ContributeAsync(SchemeLedger.ReversalKey(Key("w")), ContributionSource.Levy, Worker(1), Pence(5))),
    };

    public static TheoryData<string> ReuseCaseNames => [.. ReuseCases.Keys];

    [Fact]
    public async Task ReversalReturnsTheWithdrawalToTheWorkerPerKeyset()
    {
        await SetUpWorldAsync();

        var result = await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60));

        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.False(result.IsReplay);
        Assert.Equal(EntryKind.WithdrawalReversal, result.Entry!.Kind);
        Assert.Equal(SchemeLedger.ReversalKey(Key("w")), result.Entry.IdempotencyKey);
        Assert.Equal(100, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(20, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
        Assert.Equal(20, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(2))));
        var one = await Ledger.GetKeysetAsync(Keyset(1));
        Assert.Equal((Pence(60), Pence(40)), (one.Issued, one.Reversed));
        var two = await Ledger.GetKeysetAsync(Keyset(2));
        Assert.Equal((Pence(40), Pence(20)), (two.Issued, two.Reversed));
        Assert.Equal(
            new[] { new KeysetEffect(Keyset(1), Amount.Zero, Amount.Zero, Amount.Zero, Amount.Zero, Pence(40), false), new KeysetEffect(Keyset(2), Amount.Zero, Amount.Zero, Amount.Zero, Amount.Zero, Pence(20), false) }.OrderBy(e => e.Keyset),
            result.Entry.KeysetEffects);
        Assert.Equal(result.Entry.Hash, (await Ledger.FindEntryAsync(SchemeLedger.ReversalKey(Key("w"))))!.Hash);
        await AssertValidAsync();
    }

    [Fact]
    public void TheReversalKeyIsDerivedFromTheWithdrawalKeyUnderItsLabel()
    {
        // Stored reversals are found under this key: its derivation is part of the stored format.
        byte[] digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes("PB1/withdrawal-reversal\nw-42"));

        Assert.Equal(new IdempotencyKey("rv-" + Convert.ToHexStringLower(digest)), SchemeLedger.ReversalKey(Key("w-42")));
        Assert.NotEqual(SchemeLedger.ReversalKey(Key("w-42")), SchemeLedger.ReversalKey(Key("w-43")));
    }

    [Fact]
    public async Task AReversalOfZeroIsRefusedBeforeAnythingIsRead()
    {
        await SetUpWorldAsync();
        var head = await Ledger.GetHeadAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("amount", () => Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Amount.Zero));

        Assert.Equal(head, await Ledger.GetHeadAsync());
        Assert.Null(await Ledger.FindEntryAsync(SchemeLedger.ReversalKey(Key("w"))));
    }

    [Fact]
    public async Task ReversalAppliesOnceAndAReplayMovesNothing()
    {
        await SetUpWorldAsync();
        var first = await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60));
        string after = await SnapshotAsync();

        var replay = await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60));

        Assert.True(first.Succeeded);
        Assert.True(replay.IsReplay);
        Assert.Equal(LedgerStatus.Applied, replay.Status);
        Assert.Equal(first.Entry!.Hash, replay.Entry!.Hash);
        Assert.Equal(after, await SnapshotAsync());
        Assert.Equal(100, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        await AssertValidAsync();
    }

    [Theory]
    [MemberData(nameof(ReuseCaseNames))]
    public async Task AnotherRequestUnderTheReversalKeyIsRefusedAndMovesNothing(string name)
    {
        var (first, reuse) = ReuseCases[name];
        await SetUpWorldAsync();
        Assert.Equal(LedgerStatus.Applied, (await first(Ledger)).Status);
        string before = await SnapshotAsync();

        var reused = await reuse(Ledger);

        Assert.Equal(LedgerStatus.IdempotencyKeyReused, reused.Status);
        Assert.Null(reused.Entry);
        Assert.Equal(before, await SnapshotAsync());
        Assert.True((await first(Ledger)).IsReplay);
        await AssertValidAsync();
    }

    public static TheoryData<string> UnknownCases => ["never-used", "wrong-worker", "wrong-amount", "refused-withdrawal", "key-of-a-contribution"];

    [Theory]
    [MemberData(nameof(UnknownCases))]
    public async Task ReversalOfAnUnknownWithdrawalIsRefusedMovesNothingAndIsNotRemembered(string name)
    {
        await SetUpWorldAsync();
        Assert.Equal(LedgerStatus.InsufficientFunds, (await Ledger.WithdrawAsync(Key("poor"), Worker(2), [Issue(1, 10)])).Status);
        string before = await SnapshotAsync();

        var result = name switch
        {
            "never-used" => await Ledger.ReverseWithdrawalAsync(Key("nothing"), Worker(1), Pence(60)),
            "wrong-worker" => await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(2), Pence(60)),
            "wrong-amount" => await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(40)),
            "refused-withdrawal" => await Ledger.ReverseWithdrawalAsync(Key("poor"), Worker(2), Pence(10)),
            _ => await Ledger.ReverseWithdrawalAsync(Key("c"), Worker(1), Pence(100)),
        };

        Assert.Equal(LedgerStatus.UnknownWithdrawal, result.Status);
        Assert.Null(result.Entry);
        Assert.False(result.IsReplay);
        Assert.Equal(before, await SnapshotAsync());
        await using (var tx = await Store.BeginReadAsync(CancellationToken.None))
        {
            Assert.Null(await tx.FindOutcomeAsync(SchemeLedger.ReversalKey(Key(name == "never-used" ? "nothing" : name == "refused-withdrawal" ? "poor" : name == "key-of-a-contribution" ? "c" : "w")), CancellationToken.None));
        }

        // Not remembered: the right request still reverses the withdrawal.
        Assert.True((await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60))).Succeeded);
        await AssertValidAsync();
    }

    [Fact]
    public async Task ReversalOfAWithdrawalMadeAfterAnUnknownAttemptApplies()
    {
        Assert.Equal(LedgerStatus.UnknownWithdrawal, (await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60))).Status);
        await SetUpWorldAsync();

        var result = await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60));

        Assert.Equal(LedgerStatus.Applied, result.Status);
        await AssertValidAsync();
    }

    [Fact]
    public async Task ReversalAfterTheKeysetExpiredIsRefusedAndRemembered()
    {
        await SetUpWorldAsync();
        Assert.True((await Ledger.ExpireAsync(Key("e2"), Keyset(2))).Succeeded);
        string before = await SnapshotAsync();

        var result = await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60));
        var retry = await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60));

        Assert.Equal(LedgerStatus.KeysetExpired, result.Status);
        Assert.Null(result.Entry);
        Assert.True(retry.IsReplay);
        Assert.Equal(LedgerStatus.KeysetExpired, retry.Status);
        Assert.Equal(before, await SnapshotAsync());
        await AssertValidAsync();
    }

    [Fact]
    public async Task ReversalBeyondTheOutstandingValueIsRefused()
    {
        // Coins of keyset 1 deposited beyond what others withdrew: the ledger cannot return value that is not outstanding.
        await SetUpWorldAsync();
        Assert.True((await Ledger.DepositAsync(Key("d"), Provider(1), [Spent(1, 1, 30)])).Succeeded);
        string before = await SnapshotAsync();

        var result = await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60));

        Assert.Equal(LedgerStatus.OutstandingExceeded, result.Status);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ExpiryAfterAReversalClosesOnlyWhatIsStillOutstanding()
    {
        await SetUpWorldAsync();
        await FundAsync(Worker(3), 1, 25);
        Assert.True((await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60))).Succeeded);

        Assert.True((await Ledger.ExpireAsync(Key("e1"), Keyset(1))).Succeeded);

        var totals = await Ledger.GetKeysetAsync(Keyset(1));
        Assert.Equal((Pence(85), Pence(40), Pence(45)), (totals.Issued, totals.Reversed, totals.Expired));
        await AssertValidAsync();
    }

    [Fact]
    public async Task ReversalRunsUnderTheWriterLockOnAnOptimisticStore()
    {
        // An optimistic transaction assumes every outcome absent, the withdrawal's too; the reversal must see facts.
        await SetUpWorldAsync();
        var optimistic = new OptimisticTestStore(Store);

        var result = await new SchemeLedger(optimistic, Time).ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60));

        Assert.Equal(LedgerStatus.Applied, result.Status);
        Assert.Equal((0, 1), (optimistic.OptimisticWrites, optimistic.LockedWrites));
    }

    [Fact]
    public async Task TamperedReversedCounterIsReported()
    {
        await SetUpWorldAsync();
        Assert.True((await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60))).Succeeded);
        var store = new TamperedJournalStore(Store) { Keysets = k => [.. k.Select(t => t.Keyset == Keyset(1) ? t with { Reversed = Pence(39) } : t)] };

        var report = await new SchemeLedger(store, Time).VerifyAsync();

        Assert.False(report.IsValid);
        var problem = Assert.Single(report.Problems);
        Assert.StartsWith($"keyset {Keyset(1)}: stored counters ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReversalEntryThatTheJournalLacksBreaksConservation()
    {
        // The counters and balances agree with each other, but the reversal entry is gone from the journal.
        await SetUpWorldAsync();
        Assert.True((await Ledger.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(60))).Succeeded);
        var store = new TamperedJournalStore(Store) { Journal = j => [.. j.Where(e => e.Kind != EntryKind.WithdrawalReversal)] };

        var report = await new SchemeLedger(store, Time).VerifyAsync();

        Assert.Contains(report.Problems, p => p.StartsWith($"keyset {Keyset(1)}: stored counters ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReversalOfAnExpiredKeysetForgedIntoTheJournalIsReported()
    {
        await SetUpWorldAsync();
        Assert.True((await Ledger.ExpireAsync(Key("e1"), Keyset(2))).Succeeded);
        var journal = new List<JournalEntry>();
        await using (var tx = await Store.BeginReadAsync(CancellationToken.None))
        {
            await foreach (var entry in tx.ReadJournalAsync(1, CancellationToken.None))
            {
                journal.Add(entry);
            }
        }

        var forged = JournalEntry.Create(
            journal.Count + 1,
            EntryKind.WithdrawalReversal,
            SchemeLedger.ReversalKey(Key("w")),
            Time.GetUtcNow(),
            journal[^1].Hash,
            [new(LedgerAccount.Outstanding(Keyset(2)), -20), new(LedgerAccount.Worker(Worker(1)), 20)],
            [],
            []);
        var store = new TamperedJournalStore(Store) { Journal = j => [.. j, forged] };

        var report = await new SchemeLedger(store, Time).VerifyAsync();

        Assert.Contains($"entry {forged.Sequence} moves value of expired keyset {Keyset(2)}", report.Problems);
        Assert.Contains(report.Problems, p => p.StartsWith($"entry {forged.Sequence} takes Outstanding", StringComparison.Ordinal) && p.EndsWith("negative (-20)", StringComparison.Ordinal));
    }

    [Fact]
    public void ReversalEntryOfTheWrongShapeDoesNotDecode()
    {
        var credit = JournalEntry.Create(1, EntryKind.WithdrawalReversal, Key("r"), Time.GetUtcNow(), EntryHash.Genesis,
            [new(LedgerAccount.Worker(Worker(1)), -20), new(LedgerAccount.Outstanding(Keyset(1)), 20)], [], []);
        var good = JournalEntry.Create(1, EntryKind.WithdrawalReversal, Key("r"), Time.GetUtcNow(), EntryHash.Genesis,
            [new(LedgerAccount.Outstanding(Keyset(1)), -20), new(LedgerAccount.Worker(Worker(1)), 20)], [], []);

        Assert.False(JournalEntry.TryDecode(credit.Encode(), out _));
        Assert.True(JournalEntry.TryDecode(good.Encode(), out var decoded));
        Assert.Equal([new KeysetEffect(Keyset(1), Amount.Zero, Amount.Zero, Amount.Zero, Amount.Zero, Pence(20), false)], decoded.KeysetEffects);
    }

    private async Task AssertValidAsync()
    {
        var report = await Ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    /// <summary>
    /// Keysets 1 and 2 have 20 outstanding each from other workers; worker 1 got 100 and withdrew 60 under "w" (two
    /// coins of 20 of keyset 1 and one of 20 of keyset 2) and has 40 left; worker 2 holds nothing.
    /// </summary>
    private async Task SetUpWorldAsync()
    {
        await FundAsync(Worker(10), 1, 20);
        await FundAsync(Worker(11), 2, 20);
        Assert.True((await Ledger.ContributeAsync(Key("c"), ContributionSource.Employer, Worker(1), Pence(100))).Succeeded);
        Assert.True((await Ledger.WithdrawAsync(Key("w"), Worker(1), [Issue(1, 20), Issue(1, 20), Issue(2, 20)])).Succeeded);
    }
}
