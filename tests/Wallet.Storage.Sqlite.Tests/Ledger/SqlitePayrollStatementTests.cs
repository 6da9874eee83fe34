using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Storage.Sqlite.Tests.Ledger;

/// <summary>
/// The payroll batch on statements prepared once and bound by position (PreparedStatement): a damaged stored outcome or
/// a second outcome under one key fails as the named-parameter commands did, and the statements stay usable afterwards.
/// </summary>
public sealed class SqlitePayrollStatementTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 9, 30, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AStoredOutcomeWithAnUnknownStatusIsReportedAndTheNextBatchStillRuns()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeBatchAsync([Line("b1", 1, 100)]);
        Execute("UPDATE outcomes SET status = 200 WHERE idempotency_key = 'b1'");

        var failure = await Assert.ThrowsAsync<LedgerStoreException>(() => ledger.ContributeBatchAsync([Line("b2", 2, 50), Line("b1", 1, 100)]));
        var next = await ledger.ContributeBatchAsync([Line("b3", 3, 70)]);

        Assert.Contains("malformed", failure.Message, StringComparison.Ordinal);
        Assert.True(Assert.Single(next).Succeeded);
        Assert.Equal(0, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(2))));
        Assert.Equal(70, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(3))));
    }

    [Fact]
    public async Task AnOutcomeAlreadyStoredUnderABatchKeyFailsTheWriteAndNothingOfTheBatchIsKept()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeBatchAsync([Line("b1", 1, 100)]);
        var head = await ledger.GetHeadAsync();
        var stored = (await FindAsync(store, "b1"))!;

        await using (var tx = await store.BeginWriteAsync(CancellationToken.None))
        {
            var failure = await Assert.ThrowsAsync<LedgerStoreException>(() => tx.AppendBatchAsync([], [stored], CancellationToken.None).AsTask());
            Assert.IsType<SqliteException>(failure.InnerException);
            Assert.Equal(19, ((SqliteException)failure.InnerException!).SqliteErrorCode);
            await Assert.ThrowsAsync<LedgerStoreException>(() => tx.CommitAsync(CancellationToken.None).AsTask());
        }

        Assert.Equal(head, await ledger.GetHeadAsync());
        var again = await ledger.ContributeBatchAsync([Line("b1", 1, 100), Line("b2", 2, 30)]);
        Assert.Equal([true, false], again.Select(r => r.IsReplay));
        Assert.Equal(30, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(2))));
    }

    [Fact]
    public async Task ARefusedLineStoresAnOutcomeWithoutAnEntryThatReadsBack()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeBatchAsync([Line("big", 1, long.MaxValue)]);

        var results = await ledger.ContributeBatchAsync([Line("over", 1, 1), Line("over", 1, 1)]);
        var stored = await FindAsync(store, "over");

        Assert.Equal([LedgerStatus.AmountOverflow, LedgerStatus.AmountOverflow], results.Select(r => r.Status));
        Assert.Equal([false, true], results.Select(r => r.IsReplay));
        Assert.Null(stored!.EntrySequence);
        Assert.Equal(LedgerStatus.AmountOverflow, stored.Status);
    }

    private static async Task<IdempotencyRecord?> FindAsync(SqliteLedgerStore store, string key)
    {
        await using var tx = await store.BeginWriteAsync(CancellationToken.None);
        var found = await tx.FindOutcomesAsync([Key(key)], CancellationToken.None);
        return found.GetValueOrDefault(Key(key));
    }

    private static ContributionLine Line(string key, int worker, long amount) =>
        new(Key(key), ContributionSource.Employer, Worker(worker), Pence(amount));

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_temp.File()};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
