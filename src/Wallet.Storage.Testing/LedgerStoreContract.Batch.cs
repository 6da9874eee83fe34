using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Storage.Testing;

// Payroll batches (SchemeLedger.ContributeBatchAsync) on every store: one transaction per batch, each line
// idempotent on its own key.
public abstract partial class LedgerStoreContract
{
    /// <summary>Batch credits every line as one chained entry each.</summary>
    [Fact]
    public async Task BatchCreditsEveryLineAsOneChainedEntryEach()
    {
        var results = await Ledger.ContributeBatchAsync([Line("b1", 1, 100), Line("b2", 2, 200), Line("b3", 1, 5, ContributionSource.Levy)]);

        Assert.All(results, r => Assert.Equal(LedgerStatus.Applied, r.Status));
        Assert.All(results, r => Assert.False(r.IsReplay));
        Assert.Equal([1L, 2L, 3L], results.Select(r => r.Entry!.Sequence));
        Assert.Equal(results[0].Entry!.Hash, results[1].Entry!.PreviousHash);
        Assert.Equal(Key("b2"), results[1].Entry!.IdempotencyKey);
        Assert.Equal(105, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(200, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(2))));
        Assert.Equal(-300, await Ledger.GetBalanceAsync(LedgerAccount.Contribution(ContributionSource.Employer)));
        Assert.Equal(-5, await Ledger.GetBalanceAsync(LedgerAccount.Contribution(ContributionSource.Levy)));
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    /// <summary>Large batch of replays new lines and repeats keeps every balance exact.</summary>
    [Fact]
    public async Task LargeBatchOfReplaysNewLinesAndRepeatsKeepsEveryBalanceExact()
    {
        // Sizes past every statement size a store may use (multi-row inserts, chunked key and balance lookups).
        ContributionLine At(int i) => Line($"big-{i}", 1 + (i % 21), 10 + i);
        var first = await Ledger.ContributeBatchAsync([.. Enumerable.Range(0, 40).Select(At)]);
        ContributionLine[] batch = [.. Enumerable.Range(0, 75).Select(At), At(60), Line("big-61", 3, 1)];

        var results = await Ledger.ContributeBatchAsync(batch);

        Assert.All(first, r => Assert.Equal(LedgerStatus.Applied, r.Status));
        Assert.All(results.Take(40), r => Assert.True(r.IsReplay));
        Assert.All(results.Skip(40).Take(35), r => Assert.Equal((LedgerStatus.Applied, false), (r.Status, r.IsReplay)));
        Assert.Equal((LedgerStatus.Applied, true), (results[75].Status, results[75].IsReplay));
        Assert.Equal(LedgerStatus.IdempotencyKeyReused, results[76].Status);
        Assert.Equal(75L, (await Ledger.GetHeadAsync()).Sequence);
        for (int worker = 1; worker <= 21; worker++)
        {
            long expected = Enumerable.Range(0, 75).Where(i => 1 + (i % 21) == worker).Sum(i => 10L + i);
            Assert.Equal(expected, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(worker))));
        }

        Assert.Equal(-Enumerable.Range(0, 75).Sum(i => 10L + i), await Ledger.GetBalanceAsync(LedgerAccount.Contribution(ContributionSource.Employer)));
        var report = await Ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    /// <summary>Retried batch applies nothing twice and answers the same.</summary>
    [Fact]
    public async Task RetriedBatchAppliesNothingTwiceAndAnswersTheSame()
    {
        ContributionLine[] batch = [Line("b1", 1, 100), Line("b2", 2, 200)];
        var first = await Ledger.ContributeBatchAsync(batch);
        var head = await Ledger.GetHeadAsync();

        var retry = await Ledger.ContributeBatchAsync(batch);

        Assert.All(retry, r => Assert.True(r.IsReplay));
        Assert.Equal(first.Select(r => (r.Status, r.Entry!.Hash)), retry.Select(r => (r.Status, r.Entry!.Hash)));
        Assert.Equal(head, await Ledger.GetHeadAsync());
        Assert.Equal(100, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
    }

    /// <summary>Line whose key was used for another request is refused alone and the others apply.</summary>
    [Fact]
    public async Task LineWhoseKeyWasUsedForAnotherRequestIsRefusedAloneAndTheOthersApply()
    {
        await Ledger.ContributeAsync(Key("b2"), ContributionSource.Employer, Worker(2), Pence(50));

        var results = await Ledger.ContributeBatchAsync([Line("b1", 1, 100), Line("b2", 2, 200), Line("b3", 3, 300)]);

        Assert.Equal([LedgerStatus.Applied, LedgerStatus.IdempotencyKeyReused, LedgerStatus.Applied], results.Select(r => r.Status));
        Assert.Null(results[1].Entry);
        Assert.Equal(50, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(2))));
        Assert.Equal(300, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(3))));
        Assert.Equal(3, (await Ledger.GetHeadAsync()).Sequence);
    }

    /// <summary>Line differing in any field from the request under its key is refused.</summary>
    [Theory]
    [InlineData(ContributionSource.Levy, 1, 100)]
    [InlineData(ContributionSource.Employer, 9, 100)]
    [InlineData(ContributionSource.Employer, 1, 101)]
    public async Task LineDifferingInAnyFieldFromTheRequestUnderItsKeyIsRefused(ContributionSource source, int worker, long amount)
    {
        await Ledger.ContributeBatchAsync([Line("b1", 1, 100)]);

        var results = await Ledger.ContributeBatchAsync([Line("b1", worker, amount, source)]);

        Assert.Equal(LedgerStatus.IdempotencyKeyReused, Assert.Single(results).Status);
        Assert.Equal(1, (await Ledger.GetHeadAsync()).Sequence);
    }

    /// <summary>Single contribution and batch line under one key are one request.</summary>
    [Fact]
    public async Task SingleContributionAndBatchLineUnderOneKeyAreOneRequest()
    {
        var single = await Ledger.ContributeAsync(Key("b1"), ContributionSource.Employer, Worker(1), Pence(100));
        await Ledger.ContributeBatchAsync([Line("b2", 2, 200)]);

        var results = await Ledger.ContributeBatchAsync([Line("b1", 1, 100)]);
        var again = await Ledger.ContributeAsync(Key("b2"), ContributionSource.Employer, Worker(2), Pence(200));

        Assert.True(results[0].IsReplay);
        Assert.Equal(single.Entry!.Hash, results[0].Entry!.Hash);
        Assert.True(again.IsReplay);
        Assert.Equal(2, (await Ledger.GetHeadAsync()).Sequence);
    }

    /// <summary>Repeated key in one batch is a replay when identical and refused when not.</summary>
    [Fact]
    public async Task RepeatedKeyInOneBatchIsAReplayWhenIdenticalAndRefusedWhenNot()
    {
        var results = await Ledger.ContributeBatchAsync([Line("b1", 1, 100), Line("b1", 1, 100), Line("b1", 1, 999), Line("b2", 2, 7)]);

        Assert.Equal([LedgerStatus.Applied, LedgerStatus.Applied, LedgerStatus.IdempotencyKeyReused, LedgerStatus.Applied], results.Select(r => r.Status));
        Assert.Equal([false, true, false, false], results.Select(r => r.IsReplay));
        Assert.Equal(results[0].Entry!.Hash, results[1].Entry!.Hash);
        Assert.Null(results[2].Entry);
        Assert.Equal(100, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.Equal(2, (await Ledger.GetHeadAsync()).Sequence);
    }

    /// <summary>A reused key repeated in one batch is refused each time, never replayed.</summary>
    [Fact]
    public async Task RepeatedReusedKeyInOneBatchIsRefusedEachTimeNeverReplayed()
    {
        await Ledger.ContributeAsync(Key("b1"), ContributionSource.Employer, Worker(1), Pence(100));

        var results = await Ledger.ContributeBatchAsync([Line("b1", 1, 5), Line("b1", 1, 5), Line("b1", 1, 100)]);

        Assert.Equal([LedgerStatus.IdempotencyKeyReused, LedgerStatus.IdempotencyKeyReused, LedgerStatus.Applied], results.Select(r => r.Status));
        Assert.Equal([false, false, true], results.Select(r => r.IsReplay));
    }

    /// <summary>Overflowing line is refused alone and its refusal is remembered.</summary>
    [Fact]
    public async Task OverflowingLineIsRefusedAloneAndItsRefusalIsRemembered()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.State, Worker(1), Pence(long.MaxValue - 10));

        var results = await Ledger.ContributeBatchAsync([Line("b1", 1, 11), Line("b2", 2, 11)]);
        var retry = await Ledger.ContributeBatchAsync([Line("b1", 1, 11)]);

        Assert.Equal([LedgerStatus.AmountOverflow, LedgerStatus.Applied], results.Select(r => r.Status));
        Assert.Equal(LedgerStatus.AmountOverflow, retry[0].Status);
        Assert.True(retry[0].IsReplay);
        Assert.Equal(long.MaxValue - 10, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    /// <summary>Batch mixing new lines and replays keeps the new lines.</summary>
    [Fact]
    public async Task BatchMixingNewLinesAndReplaysKeepsTheNewLines()
    {
        await Ledger.ContributeBatchAsync([Line("b1", 1, 100)]);

        var results = await Ledger.ContributeBatchAsync([Line("b2", 2, 200), Line("b1", 1, 100)]);

        Assert.Equal([false, true], results.Select(r => r.IsReplay));
        Assert.Equal(200, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(2))));
        Assert.Equal(2, (await Ledger.GetHeadAsync()).Sequence);
    }

    /// <summary>Failed batch moves nothing and its retry applies every line once.</summary>
    [Theory]
    [InlineData(StoreFault.OnAppend)]
    [InlineData(StoreFault.BeforeCommit)]
    public async Task FailedBatchMovesNothingAndItsRetryAppliesEveryLineOnce(StoreFault fault)
    {
        ContributionLine[] batch = [Line("b1", 1, 100), Line("b2", 2, 200), Line("b3", 3, 300)];
        var faulty = new FaultInjectingLedgerStore(Store) { NextFault = fault };
        var ledger = new SchemeLedger(faulty, Time);

        await Assert.ThrowsAsync<LedgerStoreException>(() => ledger.ContributeBatchAsync(batch));
        Assert.Equal(JournalHead.Empty, await Ledger.GetHeadAsync());
        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));

        var retry = await ledger.ContributeBatchAsync(batch);
        Assert.All(retry, r => Assert.True(r.Succeeded && !r.IsReplay));
        Assert.Equal(3, (await Ledger.GetHeadAsync()).Sequence);
    }

    /// <summary>Batch whose response was lost after commit is replayed line by line.</summary>
    [Fact]
    public async Task BatchWhoseResponseWasLostAfterCommitIsReplayedLineByLine()
    {
        ContributionLine[] batch = [Line("b1", 1, 100), Line("b2", 2, 200)];
        var faulty = new FaultInjectingLedgerStore(Store) { NextFault = StoreFault.AfterCommit };
        var ledger = new SchemeLedger(faulty, Time);

        await Assert.ThrowsAsync<LedgerStoreException>(() => ledger.ContributeBatchAsync(batch));
        var retry = await ledger.ContributeBatchAsync(batch);

        Assert.All(retry, r => Assert.True(r.Succeeded && r.IsReplay));
        Assert.Equal(100, await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
    }

    /// <summary>Batch that writes nothing never commits.</summary>
    [Fact]
    public async Task BatchThatWritesNothingNeverCommits()
    {
        await Ledger.ContributeAsync(Key("b1"), ContributionSource.Employer, Worker(1), Pence(100));

        // A commit would throw here: a batch of replays and refused keys answers without one.
        var faulty = new FaultInjectingLedgerStore(Store) { NextFault = StoreFault.BeforeCommit };
        var results = await new SchemeLedger(faulty, Time).ContributeBatchAsync([Line("b1", 1, 100), Line("b1", 1, 1)]);

        Assert.Equal([LedgerStatus.Applied, LedgerStatus.IdempotencyKeyReused], results.Select(r => r.Status));
        Assert.False(faulty.Fired);
    }

    /// <summary>Cancelled batch moves nothing.</summary>
    [Fact]
    public async Task CancelledBatchMovesNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ledger.ContributeBatchAsync([Line("b1", 1, 100)], cancelled.Token));

        Assert.Equal(JournalHead.Empty, await Ledger.GetHeadAsync());
    }

    /// <summary>Concurrent identical batches credit each line once.</summary>
    [Fact]
    public async Task ConcurrentIdenticalBatchesCreditEachLineOnce()
    {
        ContributionLine[] batch = [.. Enumerable.Range(0, 20).Select(i => Line($"b{i}", i % 4, 10 + i))];

        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => new SchemeLedger(Store, Time).ContributeBatchAsync(batch))));

        Assert.All(runs, run => Assert.All(run, r => Assert.True(r.Succeeded)));
        for (int i = 0; i < batch.Length; i++)
        {
            Assert.Single(runs, run => !run[i].IsReplay);
            Assert.Single(runs.Select(run => run[i].Entry!.Hash).Distinct());
        }

        Assert.Equal(batch.Length, (await Ledger.GetHeadAsync()).Sequence);
        Assert.Equal(batch.Where(l => l.Worker == Worker(1)).Sum(l => l.Amount.MinorUnits), await Ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    /// <summary>Reopened store replays every line of a committed batch.</summary>
    [Fact]
    public async Task ReopenedStoreReplaysEveryLineOfACommittedBatch()
    {
        ContributionLine[] batch = [Line("b1", 1, 100), Line("b2", 2, 200)];
        var first = await Ledger.ContributeBatchAsync(batch);

        _store = await ReopenAsync(Store);
        var retry = await Ledger.ContributeBatchAsync(batch);

        Assert.All(retry, r => Assert.True(r.IsReplay));
        Assert.Equal(first.Select(r => r.Entry!.Hash), retry.Select(r => r.Entry!.Hash));
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    private static ContributionLine Line(string key, int worker, long amount, ContributionSource source = ContributionSource.Employer) =>
        new(Key(key), source, Worker(worker), Pence(amount));
}
