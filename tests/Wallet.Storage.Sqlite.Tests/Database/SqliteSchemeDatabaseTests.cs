using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Database;

/// <summary>
/// One transaction per operation on one SQLite file: what an operation writes to the ledger, the scheme store and the
/// Merkle log commits together, or not at all.
/// </summary>
public sealed class SqliteSchemeDatabaseTests : IDisposable
{
    private static readonly AccountId Worker = new("worker-1");

    private readonly TempDatabase _temp = new();

    private string Path => _temp.File(SqliteSchemeDatabase.DefaultFileName);

    [Fact]
    public async Task OperationThatReturnsCommitsItsLedgerSchemeAndLogWritesTogether()
    {
        using var key = Ed25519SigningKey.Generate();
        await using (var database = await SqliteSchemeDatabase.OpenAsync(Path))
        {
            int result = await database.RunAsync(ct => WriteAllThreeAsync(database, key.PublicKey, "c1", ct), CancellationToken.None);
            Assert.Equal(7, result);
        }

        await using var reopened = await SqliteSchemeDatabase.OpenAsync(Path);
        await AssertWrittenAsync(reopened, balance: 500, leaves: 1, hasAccount: true);
    }

    [Fact]
    public async Task OperationThatThrowsLeavesNothingInAnyStore()
    {
        using var key = Ed25519SigningKey.Generate();
        await using var database = await SqliteSchemeDatabase.OpenAsync(Path);
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => database.RunAsync<int>(
            async ct =>
            {
                await WriteAllThreeAsync(database, key.PublicKey, "c1", ct);
                throw new InvalidOperationException("after every write");
            },
            CancellationToken.None));

        Assert.Equal("after every write", thrown.Message);
        await AssertWrittenAsync(database, balance: 0, leaves: 0, hasAccount: false);

        // The database goes on working, and the same operation can run again.
        await database.RunAsync(ct => WriteAllThreeAsync(database, key.PublicKey, "c1", ct), CancellationToken.None);
        await AssertWrittenAsync(database, balance: 500, leaves: 1, hasAccount: true);
    }

    [Fact]
    public async Task ProcessThatDiesMidOperationLeavesNothingOnDisk()
    {
        // Closing the file with the operation open is what a kill does to it: SQLite never sees a COMMIT.
        using var key = Ed25519SigningKey.Generate();
        var database = await SqliteSchemeDatabase.OpenAsync(Path);
        var hold = new TaskCompletionSource();
        var operation = await WrittenAndHeldAsync(database, key.PublicKey, hold.Task, thenThrow: false);
        database.Dispose();
        hold.SetResult();
        await Assert.ThrowsAnyAsync<Exception>(() => operation);

        await using var reopened = await SqliteSchemeDatabase.OpenAsync(Path);
        await AssertWrittenAsync(reopened, balance: 0, leaves: 0, hasAccount: false);
        Assert.True((await new SchemeLedger(reopened.Ledger, TimeProvider.System).VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task ReadersOutsideAnOperationSeeOnlyWhatItCommitted()
    {
        using var key = Ed25519SigningKey.Generate();
        await using var database = await SqliteSchemeDatabase.OpenAsync(Path);
        var hold = new TaskCompletionSource();
        var operation = await WrittenAndHeldAsync(database, key.PublicKey, hold.Task, thenThrow: false);

        // Another flow (a request served meanwhile) reads the last committed state.
        await Task.Run(() => AssertWrittenAsync(database, balance: 0, leaves: 0, hasAccount: false));
        hold.SetResult();
        await operation;
        await AssertWrittenAsync(database, balance: 500, leaves: 1, hasAccount: true);
    }

    [Fact]
    public async Task WriteOutsideAnOperationWaitsForTheRunningOneAndCommitsOnItsOwn()
    {
        using var key = Ed25519SigningKey.Generate();
        await using var database = await SqliteSchemeDatabase.OpenAsync(Path);
        var hold = new TaskCompletionSource();
        var operation = await WrittenAndHeldAsync(database, key.PublicKey, hold.Task, thenThrow: true);

        var ledger = new SchemeLedger(database.Ledger, TimeProvider.System);
        var outside = Task.Run(() => ledger.ContributeAsync(new IdempotencyKey("c2"), ContributionSource.Employer, Worker, Amount.FromMinorUnits(300)));
        await Task.Delay(100);
        Assert.False(outside.IsCompleted);
        hold.SetResult();
        await Assert.ThrowsAsync<InvalidOperationException>(() => operation);
        Assert.Equal(LedgerStatus.Applied, (await outside).Status);

        // The rolled-back operation's contribution is gone; the one outside it stays.
        Assert.Equal(300, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker)));
        Assert.True((await ledger.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task OperationsDoNotNest()
    {
        await using var database = await SqliteSchemeDatabase.OpenAsync(Path);
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.RunAsync(
            ct => database.RunAsync(_ => Task.FromResult(1), ct),
            CancellationToken.None));

        // The outer operation was rolled back and released the writer.
        Assert.Equal(2, await database.RunAsync(_ => Task.FromResult(2), CancellationToken.None));
    }

    [Fact]
    public async Task CancelledWaitForTheWriterRunsNothing()
    {
        await using var database = await SqliteSchemeDatabase.OpenAsync(Path);
        var hold = new TaskCompletionSource();
        var running = database.RunAsync(
            async _ =>
            {
                await hold.Task;
                return 0;
            },
            CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        bool ran = false;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => database.RunAsync(
            _ =>
            {
                ran = true;
                return Task.FromResult(0);
            },
            cancel.Token));
        hold.SetResult();
        await running;
        Assert.False(ran);
    }

    [Fact]
    public async Task StoresFailWithObjectDisposedOnceTheDatabaseIsClosed()
    {
        var database = await SqliteSchemeDatabase.OpenAsync(Path);
        await database.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => database.RunAsync(_ => Task.FromResult(0), CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await database.Log.GetLeafCountAsync(CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await database.Scheme.HasAccountAsync(Worker, CancellationToken.None));
    }

    public void Dispose() => _temp.Dispose();

    // An operation that has written to all three stores (and sees its own writes), then waits for hold before it
    // returns or throws; returned once the writes are done, with the operation still open.
    private static async Task<Task<int>> WrittenAndHeldAsync(SqliteSchemeDatabase database, Ed25519PublicKey key, Task hold, bool thenThrow)
    {
        var written = new TaskCompletionSource();
        var operation = database.RunAsync(
            async ct =>
            {
                await WriteAllThreeAsync(database, key, "c1", ct);
                Assert.Equal(1UL, await database.Log.GetLeafCountAsync(ct));
                written.SetResult();
                await hold;
                return thenThrow ? throw new InvalidOperationException("rolled back") : 0;
            },
            CancellationToken.None);
        if (await Task.WhenAny(written.Task, operation) == operation)
        {
            await operation; // it failed before its writes were done: show why
        }

        return operation;
    }

    // A contribution in the ledger, an account key in the scheme store and a leaf in the log.
    private static async Task<int> WriteAllThreeAsync(SqliteSchemeDatabase database, Ed25519PublicKey key, string idempotencyKey, CancellationToken ct)
    {
        var ledger = new SchemeLedger(database.Ledger, TimeProvider.System);
        var result = await ledger.ContributeAsync(new IdempotencyKey(idempotencyKey), ContributionSource.Employer, Worker, Amount.FromMinorUnits(500), ct);
        Assert.Equal(LedgerStatus.Applied, result.Status);
        await database.Scheme.PutAccountKeyAsync(Worker, key, ct);
        await new MerkleLog(database.Log).AppendAsync(new byte[] { 1, 2, 3 }, ct);
        return 7;
    }

    private static async Task AssertWrittenAsync(SqliteSchemeDatabase database, long balance, ulong leaves, bool hasAccount)
    {
        var ledger = new SchemeLedger(database.Ledger, TimeProvider.System);
        Assert.Equal(balance, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker)));
        Assert.Equal(leaves, await database.Log.GetLeafCountAsync(CancellationToken.None));
        Assert.Equal(hasAccount, await database.Scheme.HasAccountAsync(Worker, CancellationToken.None));
    }
}
