using Wallet.Protocol.Ledger;
using Wallet.Storage.Testing;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

public sealed class InMemoryLedgerStoreTests : LedgerStoreContract
{
    protected override Task<ILedgerStore> CreateStoreAsync() => Task.FromResult<ILedgerStore>(new InMemoryLedgerStore());

    [Fact]
    public async Task ForkStartsFromTheCommittedStateAndThenGoesItsOwnWay()
    {
        // An InMemorySchemeDatabase operation's working ledger: what it writes stays out of the store it came from.
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));
        var fork = ((InMemoryLedgerStore)Store).Fork();
        var forked = new SchemeLedger(fork, TimeProvider.System);

        Assert.Equal(10, await forked.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        await forked.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(5));

        Assert.Equal(15, await forked.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.True((await forked.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task EntryLookupOutsideTheJournalFindsNothing()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(10));

        await using var tx = await Store.BeginReadAsync(CancellationToken.None);

        Assert.Null(await tx.GetEntryAsync(0, CancellationToken.None));
        Assert.Null(await tx.GetEntryAsync(3, CancellationToken.None));
        Assert.Equal(1, (await tx.GetEntryAsync(1, CancellationToken.None))!.Sequence);
        Assert.Equal(2, (await tx.GetEntryAsync(2, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task BalancesAreReadInAccountOrder()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(2), Pence(10));
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, Worker(1), Pence(10));

        var accounts = new List<LedgerAccount>();
        await using var tx = await Store.BeginReadAsync(CancellationToken.None);
        await foreach (var balance in tx.ReadBalancesAsync(CancellationToken.None))
        {
            accounts.Add(balance.Account);
        }

        Assert.Equal(4, accounts.Count);
        Assert.Equal(accounts.Order(), accounts);
    }

    [Fact]
    public async Task SecondOutcomeUnderOneKeyFailsTheTransaction()
    {
        var record = new IdempotencyRecord(Key("k"), new byte[32], LedgerStatus.InsufficientFunds, null, []);

        await using (var tx = await Store.BeginWriteAsync(CancellationToken.None))
        {
            await tx.RecordOutcomeAsync(record, CancellationToken.None);
            await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.RecordOutcomeAsync(record, CancellationToken.None));
            await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.CommitAsync(CancellationToken.None));
        }

        await using var read = await Store.BeginReadAsync(CancellationToken.None);
        Assert.Null(await read.FindOutcomeAsync(Key("k"), CancellationToken.None));
    }

    [Fact]
    public async Task ACommittedTransactionTakesNoFurtherWrite()
    {
        var record = new IdempotencyRecord(Key("k"), new byte[32], LedgerStatus.InsufficientFunds, null, []);
        await using var tx = await Store.BeginWriteAsync(CancellationToken.None);
        await tx.RecordOutcomeAsync(record, CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);

        var head = await tx.GetHeadAsync(CancellationToken.None);
        var entry = JournalEntry.Create(head.Sequence + 1, EntryKind.Contribution, Key("late"), DateTimeOffset.UnixEpoch, head.Hash,
            [new Posting(LedgerAccount.Contribution(ContributionSource.Employer), -5), new Posting(LedgerAccount.Worker(Worker(1)), 5)], [], []);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await tx.AppendAsync(entry, CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await tx.RecordOutcomeAsync(record with { Key = Key("k2") }, CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await tx.CommitAsync(CancellationToken.None));

        await using var read = await Store.BeginReadAsync(CancellationToken.None);
        Assert.Null(await read.FindOutcomeAsync(Key("k2"), CancellationToken.None));
        Assert.Equal(head, await read.GetHeadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AnEntryRecordingASpentCoinAgainFailsTheTransaction()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(20));
        await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 10), Issue(1, 10)]);
        Assert.True((await Ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)])).Succeeded);

        await using (var tx = await Store.BeginWriteAsync(CancellationToken.None))
        {
            var head = await tx.GetHeadAsync(CancellationToken.None);
            var again = JournalEntry.Create(head.Sequence + 1, EntryKind.Deposit, Key("d2"), DateTimeOffset.UnixEpoch, head.Hash,
                [new Posting(LedgerAccount.Outstanding(Keyset(1)), -10), new Posting(LedgerAccount.Provider(Provider(2)), 10)], [Spent(1, 1, 10)], []);
            await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.AppendAsync(again, CancellationToken.None));
            await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.CommitAsync(CancellationToken.None));
        }

        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(2))));
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    [Theory]
    [InlineData("not chained to the head")]
    [InlineData("overflowing a balance")]
    public async Task AnEntryTheStoreCannotTakeFailsTheTransactionWithAStoreError(string fault)
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(20));

        await using (var tx = await Store.BeginWriteAsync(CancellationToken.None))
        {
            var head = await tx.GetHeadAsync(CancellationToken.None);
            bool stale = fault == "not chained to the head";
            long value = stale ? 5 : long.MaxValue;
            var entry = JournalEntry.Create(stale ? head.Sequence : head.Sequence + 1, EntryKind.Contribution, Key("c2"), DateTimeOffset.UnixEpoch, head.Hash,
                [new Posting(LedgerAccount.Contribution(ContributionSource.Levy), -value), new Posting(LedgerAccount.Worker(Worker(1)), value)], [], []);
            await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.AppendAsync(entry, CancellationToken.None));
            await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.CommitAsync(CancellationToken.None));
        }

        Assert.Equal(20, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(1, (await Ledger.GetHeadAsync()).Sequence);
    }

    [Fact]
    public async Task EveryCallWithACancelledTokenIsCancelledAndMovesNothing()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(20));
        await Ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 10)]);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var ct = cancelled.Token;
        var none = CancellationToken.None;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.BeginReadAsync(ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.BeginWriteAsync(ct));
        await using (var read = await Store.BeginReadAsync(none))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read.GetHeadAsync(ct));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read.ReadJournalAsync(1, ct).ToListAsync());
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read.ReadBalancesAsync(ct).ToListAsync());
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read.ReadKeysetsAsync(ct).ToListAsync());
        }

        await using (var tx = await Store.BeginWriteAsync(none))
        {
            var head = await tx.GetHeadAsync(none);
            var entry = JournalEntry.Create(head.Sequence + 1, EntryKind.Contribution, Key("c2"), DateTimeOffset.UnixEpoch, head.Hash,
                [new Posting(LedgerAccount.Contribution(ContributionSource.Levy), -5), new Posting(LedgerAccount.Worker(Worker(1)), 5)], [], []);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await tx.AppendAsync(entry, ct));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await tx.RecordOutcomeAsync(new IdempotencyRecord(Key("c2"), new byte[32], LedgerStatus.Applied, null, []), ct));
            await tx.AppendAsync(entry, none);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await tx.CommitAsync(ct));
        }

        Assert.Equal(10, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(2, (await Ledger.GetHeadAsync()).Sequence);
    }

    [Fact]
    public async Task TheJournalIsReadFromTheSequenceAsked()
    {
        for (int i = 1; i <= 4; i++)
        {
            await Ledger.ContributeAsync(Key($"c{i}"), ContributionSource.Employer, Worker(1), Pence(10));
        }

        await using var tx = await Store.BeginReadAsync(CancellationToken.None);
        var from3 = new List<long>();
        await foreach (var entry in tx.ReadJournalAsync(3, CancellationToken.None))
        {
            from3.Add(entry.Sequence);
        }

        var fromZero = new List<long>();
        await foreach (var entry in tx.ReadJournalAsync(0, CancellationToken.None))
        {
            fromZero.Add(entry.Sequence);
        }

        Assert.Equal([3L, 4L], from3);
        Assert.Equal([1L, 2L, 3L, 4L], fromZero);
    }
}
