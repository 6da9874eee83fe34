using Wallet.Protocol.Ledger;
using Wallet.Storage.Testing;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// What <see cref="SchemeLedger.ContributeBatchAsync"/> and <see cref="ContributionLine"/> refuse as caller mistakes,
/// and the batch over a store that, like PostgreSQL, holds a transaction's outcomes back until its commit. The
/// behaviour on every store is in <see cref="LedgerStoreContract"/>.
/// </summary>
public sealed class SchemeLedgerBatchTests : LedgerTestBase
{
    [Fact]
    public async Task BatchWithoutLinesIsACallerMistake()
    {
        await Assert.ThrowsAsync<ArgumentNullException>("lines", () => Ledger.ContributeBatchAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>("lines", () => Ledger.ContributeBatchAsync([]));
        await Assert.ThrowsAsync<ArgumentNullException>("lines", () => Ledger.ContributeBatchAsync([Line("b1", 1, 1), null!]));
        Assert.Equal(JournalHead.Empty, await Ledger.GetHeadAsync());
    }

    [Fact]
    public void LineRefusesMissingPartsZeroAmountAndUnknownSource()
    {
        Assert.Throws<ArgumentNullException>("key", () => new ContributionLine(null!, ContributionSource.Employer, Worker(1), Pence(1)));
        Assert.Throws<ArgumentNullException>("worker", () => new ContributionLine(Key("k"), ContributionSource.Employer, null!, Pence(1)));
        Assert.Throws<ArgumentOutOfRangeException>("amount", () => new ContributionLine(Key("k"), ContributionSource.Employer, Worker(1), Pence(0)));
        Assert.Throws<ArgumentOutOfRangeException>("source", () => new ContributionLine(Key("k"), (ContributionSource)0, Worker(1), Pence(1)));
        Assert.Throws<ArgumentOutOfRangeException>("source", () => new ContributionLine(Key("k"), (ContributionSource)5, Worker(1), Pence(1)));
    }

    [Fact]
    public void LineKeepsWhatItWasGiven()
    {
        var line = new ContributionLine(Key("k"), ContributionSource.State, Worker(3), Pence(42));

        Assert.Equal((Key("k"), ContributionSource.State, Worker(3), Pence(42)), (line.Key, line.Source, line.Worker, line.Amount));
    }

    [Fact]
    public async Task RepeatedKeyIsAnsweredFromTheBatchWhenTheStoreHoldsOutcomesBackUntilCommit()
    {
        var ledger = new SchemeLedger(new DeferredOutcomeStore(Store), Time);

        var results = await ledger.ContributeBatchAsync([Line("b1", 1, 100), Line("b1", 1, 100), Line("b1", 2, 100)]);

        Assert.Equal([LedgerStatus.Applied, LedgerStatus.Applied, LedgerStatus.IdempotencyKeyReused], results.Select(r => r.Status));
        Assert.Equal([false, true, false], results.Select(r => r.IsReplay));
        Assert.Equal(1, (await Ledger.GetHeadAsync()).Sequence);
        Assert.True((await Ledger.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task SingleOperationThatWritesNothingNeverCommits()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        var faulty = new FaultInjectingLedgerStore(Store);
        var ledger = new SchemeLedger(faulty, Time);

        // Each would throw if it committed: a replay, a reused key and a declined reversal write nothing.
        faulty.NextFault = StoreFault.BeforeCommit;
        Assert.True((await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100))).IsReplay);
        faulty.NextFault = StoreFault.BeforeCommit;
        Assert.Equal(LedgerStatus.IdempotencyKeyReused, (await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(5))).Status);
        faulty.NextFault = StoreFault.BeforeCommit;
        Assert.Equal(LedgerStatus.UnknownWithdrawal, (await ledger.ReverseWithdrawalAsync(Key("w-none"), Worker(1), Pence(5))).Status);
        Assert.False(faulty.Fired);
    }

    private static ContributionLine Line(string key, int worker, long amount) =>
        new(Key(key), ContributionSource.Employer, Worker(worker), Pence(amount));

    /// <summary>A store whose write transactions keep their outcomes back until the commit, as the PostgreSQL store does.</summary>
    private sealed class DeferredOutcomeStore(ILedgerStore inner) : ILedgerStore
    {
        public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken) =>
            new Deferred(await inner.BeginWriteAsync(cancellationToken));

        public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) => inner.BeginReadAsync(cancellationToken);

        private sealed class Deferred(ILedgerWriteTransaction tx) : DelegatingLedgerWriteTransaction(tx)
        {
            private readonly List<IdempotencyRecord> _held = [];

            public override ValueTask RecordOutcomeAsync(IdempotencyRecord record, CancellationToken cancellationToken)
            {
                _held.Add(record);
                return ValueTask.CompletedTask;
            }

            public override async ValueTask CommitAsync(CancellationToken cancellationToken)
            {
                foreach (var record in _held)
                {
                    await Inner.RecordOutcomeAsync(record, cancellationToken);
                }

                await Inner.CommitAsync(cancellationToken);
            }
        }
    }
}
