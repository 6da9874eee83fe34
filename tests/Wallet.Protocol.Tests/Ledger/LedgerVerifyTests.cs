using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// <see cref="SchemeLedger.VerifyAsync(CancellationToken)"/> against a journal and materialised state damaged in each way it claims to
/// detect: each case names the exact problem it must report. The journal is built by the real ledger on the real
/// store, then served altered through <see cref="TamperedJournalStore"/> (entries forged with
/// <see cref="JournalEntry.Create"/>, so they decode and only the damage under test is wrong). In memory here; the
/// SQLite suite runs the same cases on its store.
/// </summary>
public class LedgerVerifyTests : LedgerTestBase
{
    private IReadOnlyList<JournalEntry> _journal = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();

        // 1 contribution, 2 withdrawal to keysets 1 and 2, 3 deposit of coin 1, 4 swap of coin 2 into keyset 1,
        // 5 expiry of keyset 2, and one refusal (no entry). Balances: employer -100, keyset 1 outstanding 70,
        // provider 1 10, expired 20; worker 1 and keyset 2 outstanding are back to zero.
        Assert.True((await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100))).Succeeded);
        Assert.True((await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 60), Issue(2, 40)])).Succeeded);
        Assert.True((await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)])).Succeeded);
        Assert.True((await Ledger.SwapAsync(Key("s1"), [Spent(2, 2, 20)], [Issue(1, 20)])).Succeeded);
        Assert.True((await Ledger.ExpireAsync(Key("e1"), Keyset(2))).Succeeded);
        Assert.Equal(LedgerStatus.InsufficientFunds, (await Ledger.WithdrawAsync(Key("refused"), Worker(1), [Issue(1, 1)])).Status);

        var journal = new List<JournalEntry>();
        await using var tx = await Store.BeginReadAsync(CancellationToken.None);
        await foreach (var entry in tx.ReadJournalAsync(1, CancellationToken.None))
        {
            journal.Add(entry);
        }

        _journal = journal;
    }

    [Fact]
    public async Task UntouchedJournalIsValidAndCounted()
    {
        var report = await new SchemeLedger(new TamperedJournalStore(Store), Time).VerifyAsync();

        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        Assert.Equal(5, report.EntryCount);
        Assert.Equal(_journal[^1].Hash, report.Head.Hash);
        Assert.Equal(5, report.Head.Sequence);
        Assert.Equal(4, report.AccountCount);
    }

    [Fact]
    public async Task EntryOutOfSequenceIsReported()
    {
        var forged = Forge(_journal[4], sequence: 6);

        var problems = await VerifyAsync(journal: j => [.. j.Take(4), forged]);

        Assert.Contains("entry 6 follows entry 4", problems);
        Assert.Contains("the store's head is entry 5 but the journal ends at entry 6", problems);
        Assert.Contains("entry 6 has no applied outcome under its idempotency key 'e1'", problems);
        Assert.DoesNotContain(problems, p => p.Contains("chain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RepeatedEntryIsReportedAsOutOfSequence()
    {
        var problems = await VerifyAsync(journal: j => [.. j, j[4]]);

        Assert.Contains("entry 5 follows entry 5", problems);
        Assert.Contains("entry 5 does not chain to the hash of entry 5", problems);
    }

    [Fact]
    public async Task BrokenHashChainIsReported()
    {
        var forged = Forge(_journal[2], previous: EntryHash.Genesis);

        var problems = await VerifyAsync(journal: j => [j[0], j[1], forged, j[3], j[4]]);

        Assert.Contains("entry 3 does not chain to the hash of entry 2", problems);
        Assert.Contains("entry 4 does not chain to the hash of entry 3", problems);
        Assert.DoesNotContain(problems, p => p.Contains("follows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EntryRewrittenAndRechainedIsCaughtByTheMaterialisedBalancesAndHead()
    {
        // An attacker who rewrites entry 3 to pay provider 2 and recomputes every later hash keeps the chain
        // intact; the stored head and the materialised balances give the rewrite away.
        var rewritten = Rechain([_journal[0], _journal[1], Forge(_journal[2], postings: [new(LedgerAccount.Outstanding(Keyset(1)), -10), new(LedgerAccount.Provider(Provider(2)), 10)]), _journal[3], _journal[4]]);

        var problems = await VerifyAsync(journal: _ => rewritten);

        Assert.Contains("the store's head is entry 5 but the journal ends at entry 5", problems);
        Assert.Contains("ProviderPayable:provider-1: stored balance 10, journal gives 0", problems);
        Assert.Contains("ProviderPayable:provider-2: no stored balance, journal gives 10", problems);
        Assert.DoesNotContain(problems, p => p.Contains("chain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AccountTakenNegativeIsReportedButAContributionSourceMayBeNegative()
    {
        var overdraw = Append(EntryKind.Withdrawal, "w-forged", [new(LedgerAccount.Worker(Worker(1)), -30), new(LedgerAccount.Outstanding(Keyset(1)), 30)]);

        var problems = await VerifyAsync(journal: j => [.. j, overdraw]);

        Assert.Contains("entry 6 takes Worker:worker-1 negative (-30)", problems);
        Assert.DoesNotContain(problems, p => p.Contains("ContributionSource", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithdrawalFromExpiredKeysetIsReported()
    {
        var issue = Append(EntryKind.Withdrawal, "w-forged", [new(LedgerAccount.Contribution(ContributionSource.Levy), -5), new(LedgerAccount.Outstanding(Keyset(2)), 5)]);

        var problems = await VerifyAsync(journal: j => [.. j, issue]);

        Assert.Contains($"entry 6 moves value of expired keyset {Keyset(2)}", problems);
        Assert.Contains($"keyset {Keyset(2)} is expired with 5 still outstanding", problems);
    }

    [Fact]
    public async Task DepositOfExpiredKeysetIsReported()
    {
        // Keyset 2 still has 0 outstanding after its expiry; the forged deposit debits keyset 1, so only the
        // deposited counter of keyset 2 moves.
        var deposit = Append(EntryKind.Deposit, "d-forged", [new(LedgerAccount.Outstanding(Keyset(1)), -5), new(LedgerAccount.Provider(Provider(1)), 5)], [Spent(9, 2, 5)]);

        var problems = await VerifyAsync(journal: j => [.. j, deposit]);

        Assert.Contains($"entry 6 moves value of expired keyset {Keyset(2)}", problems);
        Assert.DoesNotContain($"entry 6 moves value of expired keyset {Keyset(1)}", problems);
    }

    [Fact]
    public async Task SwapOfExpiredKeysetCoinIsReported()
    {
        var swap = Append(EntryKind.Swap, "s-forged", [new(LedgerAccount.Outstanding(Keyset(1)), -5), new(LedgerAccount.Outstanding(Keyset(3)), 5)], [Spent(9, 2, 5)]);

        var problems = await VerifyAsync(journal: j => [.. j, swap]);

        Assert.Contains($"entry 6 moves value of expired keyset {Keyset(2)}", problems);
        Assert.DoesNotContain($"entry 6 moves value of expired keyset {Keyset(3)}", problems);
    }

    [Fact]
    public async Task SecondExpiryOfExpiredKeysetIsReported()
    {
        var expiry = Append(EntryKind.Expiry, "e-forged", [], closed: [Keyset(2)]);

        var problems = await VerifyAsync(journal: j => [.. j, expiry]);

        Assert.Contains($"entry 6 moves value of expired keyset {Keyset(2)}", problems);
    }

    [Fact]
    public async Task MovementOnLiveKeysetAfterAnotherExpiredIsNotReportedAsExpired()
    {
        var deposit = Append(EntryKind.Deposit, "d-forged", [new(LedgerAccount.Outstanding(Keyset(1)), -5), new(LedgerAccount.Provider(Provider(1)), 5)], [Spent(9, 1, 5)]);

        var problems = await VerifyAsync(journal: j => [.. j, deposit]);

        Assert.DoesNotContain(problems, p => p.Contains("expired", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("entry 6 spends coin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeysetExpiredWithValueStillOutstandingIsReported()
    {
        var partial = Append(EntryKind.Expiry, "e-forged", [new(LedgerAccount.Outstanding(Keyset(1)), -30), new(LedgerAccount.Expired, 30)], closed: [Keyset(1)]);

        var problems = await VerifyAsync(journal: j => [.. j, partial]);

        Assert.Contains($"keyset {Keyset(1)} is expired with 40 still outstanding", problems);
        Assert.DoesNotContain(problems, p => p.Contains($"keyset {Keyset(2)} is expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValueNotConservedPerKeysetIsReported()
    {
        // A deposit that debits keyset 1's outstanding for a coin of keyset 3: each entry balances, but keyset 1
        // lost value nobody deposited and keyset 3 was deposited value it never issued.
        var deposit = Append(EntryKind.Deposit, "d-forged", [new(LedgerAccount.Outstanding(Keyset(1)), -5), new(LedgerAccount.Provider(Provider(1)), 5)], [Spent(9, 3, 5)]);

        var problems = await VerifyAsync(journal: j => [.. j, deposit]);

        Assert.Contains(problems, p => p.StartsWith($"keyset {Keyset(3)}: issued ", StringComparison.Ordinal) && p.EndsWith(" = 5", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"keyset {Keyset(1)}: issued ", StringComparison.Ordinal) && p.EndsWith(" = 75", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.StartsWith($"keyset {Keyset(2)}: issued ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BalancePastTheRangeOfA64BitIntegerIsReportedAndTheSumNoLongerBalances()
    {
        // The second contribution takes the levy source to long.MinValue (in range) and then worker 2 past
        // long.MaxValue: the fold stops inside the entry, so the rebuilt balances no longer sum to zero.
        var first = Append(EntryKind.Contribution, "c-forged-1", [new(LedgerAccount.Contribution(ContributionSource.Levy), -long.MaxValue), new(LedgerAccount.Worker(Worker(2)), long.MaxValue)]);
        var second = Forge(Append(EntryKind.Contribution, "c-forged-2", [new(LedgerAccount.Contribution(ContributionSource.Levy), -1), new(LedgerAccount.Worker(Worker(2)), 1)]), sequence: 7, previous: first.Hash);

        var problems = await VerifyAsync(journal: j => [.. j, first, second]);

        Assert.Contains("entry 7 takes a balance or keyset counter beyond the range of a 64-bit integer", problems);
        Assert.DoesNotContain(problems, p => p.StartsWith("entry 6 takes", StringComparison.Ordinal));
        Assert.Contains("the balances sum to -1, not zero", problems);
    }

    [Fact]
    public async Task CoinTheStoreDoesNotRecordAsSpentIsReported()
    {
        var deposit = Append(EntryKind.Deposit, "d-forged", [new(LedgerAccount.Outstanding(Keyset(1)), -5), new(LedgerAccount.Provider(Provider(1)), 5)], [Spent(99, 1, 5)]);

        var problems = await VerifyAsync(journal: j => [.. j, deposit]);

        Assert.Contains($"entry 6 spends coin {Coin(99)}, which the store does not record as spent", problems);
        Assert.Contains("the store records 2 spent coins, the journal spends 3", problems);
        Assert.Contains("the store holds 5 outcomes naming an entry, the journal has 6 entries", problems);
        Assert.Contains("entry 6 has no applied outcome under its idempotency key 'd-forged'", problems);
    }

    [Fact]
    public async Task CoinSpentByTwoEntriesIsReported()
    {
        var deposit = Append(EntryKind.Deposit, "d-forged", [new(LedgerAccount.Outstanding(Keyset(1)), -10), new(LedgerAccount.Provider(Provider(2)), 10)], [Spent(1, 1, 10)]);

        var problems = await VerifyAsync(journal: j => [.. j, deposit]);

        Assert.Contains($"entry 6 spends coin {Coin(1)}, which the store records as spent by entry 3", problems);
        Assert.DoesNotContain(problems, p => p.StartsWith("entry 3 spends", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EntryUnderTheKeyOfARefusalIsReported()
    {
        var forged = Append(EntryKind.Contribution, "refused", [new(LedgerAccount.Contribution(ContributionSource.Levy), -5), new(LedgerAccount.Worker(Worker(2)), 5)]);

        var problems = await VerifyAsync(journal: j => [.. j, forged]);

        Assert.Contains("entry 6 has no applied outcome under its idempotency key 'refused'", problems);
    }

    [Fact]
    public async Task EntryUnderTheKeyOfAnotherEntryIsReported()
    {
        var forged = Append(EntryKind.Contribution, "c1", [new(LedgerAccount.Contribution(ContributionSource.Levy), -5), new(LedgerAccount.Worker(Worker(2)), 5)]);

        var problems = await VerifyAsync(journal: j => [.. j, forged]);

        Assert.Contains("entry 6 has no applied outcome under its idempotency key 'c1'", problems);
        Assert.DoesNotContain(problems, p => p.StartsWith("entry 1 has", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingEntryIsReported()
    {
        var problems = await VerifyAsync(journal: j => [.. j.Take(4)]);

        Assert.Contains("the store's head is entry 5 but the journal ends at entry 4", problems);
        Assert.Contains("the store holds 5 outcomes naming an entry, the journal has 4 entries", problems);
        Assert.Contains($"keyset {Keyset(2)}: stored counters {await Ledger.GetKeysetAsync(Keyset(2))}, journal gives {new KeysetTotals(Keyset(2), Pence(40), Amount.Zero, Pence(20), Amount.Zero, Amount.Zero, false)}", problems);
    }

    [Fact]
    public async Task AlteredMaterialisedBalanceIsReported()
    {
        var problems = await VerifyAsync(balances: b => [.. b.Select(x => x.Account == LedgerAccount.Provider(Provider(1)) ? x with { Balance = 11 } : x)]);

        Assert.Equal(["ProviderPayable:provider-1: stored balance 11, journal gives 10"], problems);
    }

    [Fact]
    public async Task MissingMaterialisedBalanceIsReported()
    {
        var problems = await VerifyAsync(balances: b => [.. b.Where(x => x.Account != LedgerAccount.Expired)]);

        Assert.Equal(["Expired: no stored balance, journal gives 20"], problems);
    }

    [Fact]
    public async Task MaterialisedBalanceTheJournalNeverMadeIsReported()
    {
        var problems = await VerifyAsync(balances: b => [.. b, new AccountBalance(LedgerAccount.Worker(Worker(9)), 5)]);

        Assert.Equal(["Worker:worker-9: stored balance 5, journal gives 0"], problems);
    }

    [Fact]
    public async Task AlteredKeysetCountersAreReported()
    {
        var problems = await VerifyAsync(keysets: k => [.. k.Select(t => t.Keyset == Keyset(1) ? t with { Deposited = Pence(11) } : t)]);

        Assert.Single(problems);
        Assert.StartsWith($"keyset {Keyset(1)}: stored counters ", problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysetCountersTheJournalNeverMadeAreReported()
    {
        var problems = await VerifyAsync(keysets: k => [.. k, KeysetTotals.Empty(Keyset(7))]);

        Assert.Contains($"keyset {Keyset(7)}: stored counters {KeysetTotals.Empty(Keyset(7))}, journal gives none", problems);
        Assert.Contains("the store holds 3 keysets, the journal names 2", problems);
    }

    [Fact]
    public async Task MissingKeysetCountersAreReported()
    {
        var problems = await VerifyAsync(keysets: k => [.. k.Where(t => t.Keyset != Keyset(2))]);

        Assert.Equal(["the store holds 1 keysets, the journal names 2"], problems);
    }

    [Fact]
    public async Task ProblemsAreCappedAtOneHundred()
    {
        var problems = await VerifyAsync(balances: b => [.. b, .. Enumerable.Range(100, 150).Select(n => new AccountBalance(LedgerAccount.Worker(Worker(n)), 1))]);

        Assert.Equal(100, problems.Count);
        Assert.Equal("Worker:worker-100: stored balance 1, journal gives 0", problems[0]);
    }

    private async Task<IReadOnlyList<string>> VerifyAsync(
        Func<IReadOnlyList<JournalEntry>, IEnumerable<JournalEntry>>? journal = null,
        Func<IReadOnlyList<AccountBalance>, IEnumerable<AccountBalance>>? balances = null,
        Func<IReadOnlyList<KeysetTotals>, IEnumerable<KeysetTotals>>? keysets = null)
    {
        var store = new TamperedJournalStore(Store) { Journal = journal, Balances = balances, Keysets = keysets };
        var report = await new SchemeLedger(store, Time).VerifyAsync();
        Assert.False(report.IsValid);
        return report.Problems;
    }

    /// <summary>A new entry after the real journal's last, chained to it.</summary>
    private JournalEntry Append(EntryKind kind, string key, Posting[] postings, SpentCoin[]? coins = null, KeysetId[]? closed = null) =>
        JournalEntry.Create(_journal.Count + 1, kind, Key(key), Time.GetUtcNow(), _journal[^1].Hash, postings, coins ?? [], closed ?? []);

    private static JournalEntry Forge(JournalEntry entry, long? sequence = null, EntryHash? previous = null, Posting[]? postings = null) =>
        JournalEntry.Create(sequence ?? entry.Sequence, entry.Kind, entry.IdempotencyKey, entry.Timestamp, previous ?? entry.PreviousHash, postings ?? entry.Postings, entry.SpentCoins, entry.ClosedKeysets);

    private static List<JournalEntry> Rechain(IEnumerable<JournalEntry> entries)
    {
        var chained = new List<JournalEntry>();
        foreach (var entry in entries)
        {
            chained.Add(Forge(entry, previous: chained.Count == 0 ? EntryHash.Genesis : chained[^1].Hash));
        }

        return chained;
    }
}
