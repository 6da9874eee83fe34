using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Tests.Schemes;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Database;

/// <summary>
/// One transaction per operation on one SQLite file: the published contract (<see cref="SchemeTransactionsContract"/>:
/// an operation's ledger, scheme and log writes commit together or not at all), and what is particular to a file: a
/// process that dies mid-operation, writes outside an operation, cancellation and closing.
/// </summary>
public sealed class SqliteSchemeDatabaseTests : SchemeTransactionsContract, IDisposable
{
    private static readonly AccountId Worker = new("worker-2");

    private readonly SchemeDatabases _databases = new();

    protected override async Task<SharedStores> CreateAsync() => Shared(await _databases.OpenAsync());

    [Fact]
    public async Task ProcessThatDiesMidOperationLeavesNothingOnDisk()
    {
        // Closing the file with the operation open is what a kill does to it: SQLite never sees a COMMIT.
        using var key = Ed25519SigningKey.Generate();
        var database = await _databases.OpenAsync("dies.db");
        var hold = new TaskCompletionSource();
        var operation = await WrittenAndHeldAsync(Shared(database), key.PublicKey, hold.Task, thenThrow: false);
        database.Dispose();
        hold.SetResult();
        await Assert.ThrowsAnyAsync<Exception>(() => operation);

        var reopened = await _databases.OpenAsync("dies.db");
        await AssertWrittenAsync(Shared(reopened), written: false);
        Assert.True((await new SchemeLedger(reopened.Ledger, TimeProvider.System).VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task WriteOutsideAnOperationWaitsForTheRunningOneAndCommitsOnItsOwn()
    {
        using var key = Ed25519SigningKey.Generate();
        var database = await _databases.OpenAsync();
        var hold = new TaskCompletionSource();
        var operation = await WrittenAndHeldAsync(Shared(database), key.PublicKey, hold.Task, thenThrow: true);

        var ledger = new SchemeLedger(database.Ledger, TimeProvider.System);
        var outside = Task.Run(() => ledger.ContributeAsync(new IdempotencyKey("c2"), ContributionSource.Employer, Worker, Amount.FromMinorUnits(300)));
        await Task.Delay(100);
        Assert.False(outside.IsCompleted);
        hold.SetResult();
        await Assert.ThrowsAsync<InvalidOperationException>(() => operation);
        Assert.Equal(LedgerStatus.Applied, (await outside).Status);

        // The rolled-back operation's writes are gone; the contribution outside it stays.
        await AssertWrittenAsync(Shared(database), written: false);
        Assert.Equal(300, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker)));
        Assert.True((await ledger.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task CancelledWaitForTheWriterRunsNothing() =>
        await OneOperationAtATime.AssertCancelledWaitRunsNothingAsync(await _databases.OpenAsync());

    [Fact]
    public async Task StoresFailWithObjectDisposedOnceTheDatabaseIsClosed()
    {
        var database = await _databases.OpenAsync();
        await database.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => database.RunAsync(_ => Task.FromResult(0), CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await database.Log.GetLeafCountAsync(CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await database.Scheme.HasAccountAsync(Worker, CancellationToken.None));
    }

    public void Dispose() => _databases.Dispose();

    private static SharedStores Shared(SqliteSchemeDatabase database) => new(database.Ledger, database.Scheme, database.Log, database);
}
