using Microsoft.Extensions.Time.Testing;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Tests.Server;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Storage.Postgres.Tests.Ledger;

/// <summary>
/// The one-round-trip write (IOptimisticLedgerStore): its reads come from this process's cache, and every
/// assumption is checked by the server in the committing batch, so a wrong one writes nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOptimisticWriteTests(PostgresFixture server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 9, 30, 0, TimeSpan.Zero));

    [Fact]
    public async Task OptimisticWriteNeedsAnEarlierCommitByThisProcess()
    {
        await using var store = await server.NewStoreAsync();

        await Assert.ThrowsAsync<LedgerWriteConflictException>(() => store.BeginOptimisticWriteAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task ReadsAreAnsweredWithoutTheServerAndTheCommitWaitsForTheWriterLock()
    {
        await using var store = await server.NewStoreAsync();
        var ledger = await FundedLedgerAsync(store);
        long coinsBefore = await CountSpentAsync(store);

        await using var locker = await store.BeginWriteAsync(CancellationToken.None);
        var lockedHead = await locker.GetHeadAsync(CancellationToken.None);
        await using var tx = await store.BeginOptimisticWriteAsync(CancellationToken.None);

        // Every read returns while another transaction holds the head row: none of them went to the server.
        Assert.Null(await tx.FindOutcomeAsync(Key("d2"), CancellationToken.None).AsTask().WaitAsync(Patience));
        var head = await tx.GetHeadAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        Assert.Equal(lockedHead, head);
        Assert.Equal(90, await tx.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1)), CancellationToken.None).AsTask().WaitAsync(Patience));
        Assert.Empty(await tx.FindSpentAsync([Coin(2)], CancellationToken.None).AsTask().WaitAsync(Patience));

        var entry = DepositEntry(head, Key("d2"), Spent(2, 1, 10));
        await tx.AppendAsync(entry, CancellationToken.None);
        await tx.RecordOutcomeAsync(Outcome(Key("d2"), entry), CancellationToken.None);
        var commit = tx.CommitAsync(CancellationToken.None).AsTask();
        await Task.Delay(300);
        Assert.False(commit.IsCompleted);

        await locker.DisposeAsync();
        await commit.WaitAsync(Patience);
        Assert.Equal(coinsBefore + 1, await CountSpentAsync(store));
        Assert.Equal(entry.Sequence, (await ledger.GetHeadAsync()).Sequence);
        var report = await ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    [Fact]
    public async Task CommitAfterAnotherNodeWroteIsAConflictThatWritesNothing()
    {
        string schema = await server.NewSchemaAsync();
        await using var here = await PostgresLedgerStore.OpenAsync(schema);
        await using var there = await PostgresLedgerStore.OpenAsync(schema);
        var ledgerHere = await FundedLedgerAsync(here);
        await using var tx = await here.BeginOptimisticWriteAsync(CancellationToken.None);
        var head = await tx.GetHeadAsync(CancellationToken.None);

        Assert.True((await new SchemeLedger(there, _time).DepositAsync(Key("there"), Provider(2), [Spent(3, 1, 10)])).Succeeded);
        var entry = DepositEntry(head, Key("here"), Spent(2, 1, 10));
        await tx.AppendAsync(entry, CancellationToken.None);
        await tx.RecordOutcomeAsync(Outcome(Key("here"), entry), CancellationToken.None);

        await Assert.ThrowsAsync<LedgerWriteConflictException>(() => tx.CommitAsync(CancellationToken.None).AsTask());
        Assert.Null(await ledgerHere.FindSpentAsync(Coin(2)));
        Assert.Null(await ledgerHere.FindEntryAsync(Key("here")));

        // The ledger on this node runs the same deposit again under the lock and keeps it.
        var result = await ledgerHere.DepositAsync(Key("here"), Provider(1), [Spent(2, 1, 10)]);
        Assert.True(result.Succeeded);
        Assert.Equal(head.Sequence + 2, result.Entry!.Sequence);
        Assert.Equal(70, await ledgerHere.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
    }

    [Fact]
    public async Task RefusalDecidedOnAHeadAnotherNodeMovedIsAConflict()
    {
        // A refusal writes no entry, so only the head check stands between a stale balance and a stored refusal.
        string schema = await server.NewSchemaAsync();
        await using var here = await PostgresLedgerStore.OpenAsync(schema);
        await using var there = await PostgresLedgerStore.OpenAsync(schema);
        var ledgerHere = await FundedLedgerAsync(here);
        await using (var tx = await here.BeginOptimisticWriteAsync(CancellationToken.None))
        {
            Assert.Null(await tx.FindOutcomeAsync(Key("w2"), CancellationToken.None));
            Assert.Equal(0, await tx.GetBalanceAsync(LedgerAccount.Worker(Worker(1)), CancellationToken.None));
            Assert.True((await new SchemeLedger(there, _time).ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(50))).Succeeded);
            await tx.RecordOutcomeAsync(new IdempotencyRecord(Key("w2"), new byte[32], LedgerStatus.InsufficientFunds, null, []), CancellationToken.None);

            await Assert.ThrowsAsync<LedgerWriteConflictException>(() => tx.CommitAsync(CancellationToken.None).AsTask());
        }

        var withdrawal = await ledgerHere.WithdrawAsync(Key("w2"), Worker(1), [Issue(1, 50)]);
        Assert.True(withdrawal.Succeeded);
        Assert.False(withdrawal.IsReplay);
    }

    [Fact]
    public async Task BatchWithASpentCoinIsAConflictThatKeepsNoneOfItsCoins()
    {
        await using var store = await server.NewStoreAsync();
        var ledger = await FundedLedgerAsync(store);
        long spentIn = (await ledger.FindSpentAsync(Coin(1)))!.Value;
        await using (var tx = await store.BeginOptimisticWriteAsync(CancellationToken.None))
        {
            var head = await tx.GetHeadAsync(CancellationToken.None);
            Assert.Empty(await tx.FindSpentAsync([Coin(1), Coin(2)], CancellationToken.None));
            var entry = DepositEntry(head, Key("again"), Spent(1, 1, 10), Spent(2, 1, 10));
            await tx.AppendAsync(entry, CancellationToken.None);
            await tx.RecordOutcomeAsync(Outcome(Key("again"), entry), CancellationToken.None);

            await Assert.ThrowsAsync<LedgerWriteConflictException>(() => tx.CommitAsync(CancellationToken.None).AsTask());
        }

        Assert.Null(await ledger.FindSpentAsync(Coin(2)));

        // Through the ledger the same batch is decided from the spent set: the fresh coin is kept, the spent one named.
        var result = await ledger.DepositAsync(Key("again"), Provider(1), [Spent(1, 1, 10), Spent(2, 1, 10)]);
        Assert.True(result.Succeeded);
        Assert.Equal([new CoinConflict(Coin(1), spentIn)], result.Conflicts);
        Assert.NotNull(await ledger.FindSpentAsync(Coin(2)));
    }

    [Fact]
    public async Task StoredIdempotencyKeyIsAConflictAndTheLedgerReplaysIt()
    {
        await using var store = await server.NewStoreAsync();
        var ledger = await FundedLedgerAsync(store);
        var first = await ledger.DepositAsync(Key("dep"), Provider(1), [Spent(2, 1, 10)]);
        await using (var tx = await store.BeginOptimisticWriteAsync(CancellationToken.None))
        {
            Assert.Null(await tx.FindOutcomeAsync(Key("dep"), CancellationToken.None));
            await tx.RecordOutcomeAsync(new IdempotencyRecord(Key("dep"), new byte[32], LedgerStatus.InsufficientFunds, null, []), CancellationToken.None);

            await Assert.ThrowsAsync<LedgerWriteConflictException>(() => tx.CommitAsync(CancellationToken.None).AsTask());
        }

        var replay = await ledger.DepositAsync(Key("dep"), Provider(1), [Spent(2, 1, 10)]);
        Assert.True(replay.IsReplay);
        Assert.Equal(first.Entry!.Sequence, replay.Entry!.Sequence);
    }

    [Fact]
    public async Task AssumptionsTheTransactionDoesNotWriteRefuseTheCommit()
    {
        await using var store = await server.NewStoreAsync();
        var ledger = await FundedLedgerAsync(store);
        var headBefore = await ledger.GetHeadAsync();

        await using (var tx = await store.BeginOptimisticWriteAsync(CancellationToken.None))
        {
            Assert.Null(await tx.FindOutcomeAsync(Key("unrecorded"), CancellationToken.None));
            await Assert.ThrowsAsync<LedgerWriteConflictException>(() => tx.CommitAsync(CancellationToken.None).AsTask());
        }

        await using (var tx = await store.BeginOptimisticWriteAsync(CancellationToken.None))
        {
            var head = await tx.GetHeadAsync(CancellationToken.None);
            Assert.Empty(await tx.FindSpentAsync([Coin(2), Coin(3)], CancellationToken.None));
            var entry = DepositEntry(head, Key("partial"), Spent(2, 1, 10));
            await tx.AppendAsync(entry, CancellationToken.None);
            await tx.RecordOutcomeAsync(Outcome(Key("partial"), entry), CancellationToken.None);
            await Assert.ThrowsAsync<LedgerWriteConflictException>(() => tx.CommitAsync(CancellationToken.None).AsTask());
        }

        Assert.Equal(headBefore, await ledger.GetHeadAsync());
    }

    [Fact]
    public async Task ReadTheCacheCannotAnswerIsAConflictBeforeAnythingIsSent()
    {
        await using var store = await server.NewStoreAsync();
        var ledger = await FundedLedgerAsync(store);
        await using var tx = await store.BeginOptimisticWriteAsync(CancellationToken.None);

        await Assert.ThrowsAsync<LedgerWriteConflictException>(() => tx.GetKeysetAsync(Keyset(99), CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<LedgerWriteConflictException>(() => tx.GetEntryAsync(1, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<LedgerWriteConflictException>(() => tx.FindSpentAsync(Coin(1), CancellationToken.None).AsTask());
        Assert.True((await ledger.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task BalanceNewToTheCacheIsReadAtTheStartHeadOrIsAConflict()
    {
        string schema = await server.NewSchemaAsync();
        await using var here = await PostgresLedgerStore.OpenAsync(schema);
        await using var there = await PostgresLedgerStore.OpenAsync(schema);
        await FundedLedgerAsync(here);
        var ledgerThere = new SchemeLedger(there, _time);
        await using (var tx = await here.BeginOptimisticWriteAsync(CancellationToken.None))
        {
            Assert.Equal(0, await tx.GetBalanceAsync(LedgerAccount.Worker(Worker(7)), CancellationToken.None));
        }

        Assert.True((await ledgerThere.ContributeAsync(Key("c7"), ContributionSource.Employer, Worker(7), Pence(30))).Succeeded);
        await using (var tx = await here.BeginOptimisticWriteAsync(CancellationToken.None))
        {
            // The balance is 30 now, but not at the head this transaction started from.
            await Assert.ThrowsAsync<LedgerWriteConflictException>(() => tx.GetBalanceAsync(LedgerAccount.Worker(Worker(7)), CancellationToken.None).AsTask());
        }

        // Once this node has caught up (a locking write republishes its cache), the read is exact again.
        var ledgerHere = new SchemeLedger(here, _time);
        Assert.True((await ledgerHere.ContributeAsync(Key("c8"), ContributionSource.Employer, Worker(8), Pence(5))).Succeeded);
        await using (var tx = await here.BeginOptimisticWriteAsync(CancellationToken.None))
        {
            Assert.Equal(30, await tx.GetBalanceAsync(LedgerAccount.Worker(Worker(7)), CancellationToken.None));
        }
    }

    // Leaves this process's cache holding the head, the provider, keyset 1 and its outstanding balance:
    // 100 issued in keyset 1, coin 1 (10) deposited by provider 1.
    private async Task<SchemeLedger> FundedLedgerAsync(PostgresLedgerStore store)
    {
        var ledger = new SchemeLedger(store, _time);
        Assert.True((await ledger.ContributeAsync(Key("c"), ContributionSource.Employer, Worker(1), Pence(100))).Succeeded);
        Assert.True((await ledger.WithdrawAsync(Key("w"), Worker(1), [Issue(1, 100)])).Succeeded);
        Assert.True((await ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)])).Succeeded);
        Assert.Equal(90, await ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(1))));
        return ledger;
    }

    private static async Task<long> CountSpentAsync(PostgresLedgerStore store)
    {
        await using var read = await store.BeginReadAsync(CancellationToken.None);
        return await read.CountSpentCoinsAsync(CancellationToken.None);
    }

    private static IdempotencyRecord Outcome(IdempotencyKey key, JournalEntry entry) =>
        new(key, new byte[32], LedgerStatus.Applied, entry.Sequence, []);

    /// <summary>A deposit of keyset-1 coins to provider 1, built past the ledger's checks.</summary>
    private JournalEntry DepositEntry(JournalHead head, IdempotencyKey key, params SpentCoin[] coins)
    {
        long value = coins.Sum(c => c.Value.MinorUnits);
        Posting[] postings = [new(LedgerAccount.Outstanding(Keyset(1)), -value), new(LedgerAccount.Provider(Provider(1)), value)];
        return RawJournalEntry.After(head, key, _time.GetUtcNow(), postings, coins);
    }
}
