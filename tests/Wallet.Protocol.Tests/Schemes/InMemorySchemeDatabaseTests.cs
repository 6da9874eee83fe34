using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>
/// One transaction per operation in process memory: the published contract (<see cref="SchemeTransactionsContract"/>:
/// an operation's ledger, scheme and log writes commit together or not at all), and what is particular to it: writes
/// outside an operation wait for the running one and commit on their own, and a cancelled wait runs nothing.
/// </summary>
public sealed class InMemorySchemeDatabaseTests : SchemeTransactionsContract
{
    private static readonly AccountId Worker = new("worker-2");

    protected override Task<SharedStores> CreateAsync() => Task.FromResult(Shared(new InMemorySchemeDatabase()));

    [Fact]
    public async Task WriteOutsideAnOperationWaitsForTheRunningOneAndCommitsOnItsOwn()
    {
        using var key = Ed25519SigningKey.Generate();
        var database = new InMemorySchemeDatabase();
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
    public async Task SchemeAndLogWritesOutsideAnOperationWaitForItAndAreNotOverwrittenByItsCommit()
    {
        using var key = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        var database = new InMemorySchemeDatabase();
        var hold = new TaskCompletionSource();
        var operation = await WrittenAndHeldAsync(Shared(database), key.PublicKey, hold.Task, thenThrow: false);

        var account = Task.Run(async () => await database.Scheme.PutAccountKeyAsync(Worker, other.PublicKey, CancellationToken.None));
        var leaf = Task.Run(async () => await new MerkleLog(database.Log).AppendAsync(new byte[] { 4, 5, 6 }, CancellationToken.None));
        await Task.Delay(100);
        Assert.False(account.IsCompleted);
        Assert.False(leaf.IsCompleted);
        hold.SetResult();
        await operation;
        await account;
        await leaf;

        // Both the operation's writes and the two made outside it are there, the outside leaf after the operation's.
        Assert.Equal(500, await new SchemeLedger(database.Ledger, TimeProvider.System).GetBalanceAsync(LedgerAccount.Worker(new AccountId("worker-1"))));
        Assert.True(await database.Scheme.HasAccountAsync(new AccountId("worker-1"), CancellationToken.None));
        Assert.Equal(other.PublicKey.Export(), (await database.Scheme.GetAccountKeyAsync(Worker, CancellationToken.None))!.Export());
        Assert.Equal(2UL, await database.Log.GetLeafCountAsync(CancellationToken.None));
        var log = new MerkleLog(database.Log);
        var root = await log.GetRootAsync(2, CancellationToken.None);
        var proof = await log.GetInclusionProofAsync(1, 2, CancellationToken.None);
        Assert.True(proof.Verify(MerkleTree.HashLeaf(new byte[] { 4, 5, 6 }), root));
    }

    [Fact]
    public async Task CancelledWaitForTheRunningOperationRunsNothing() =>
        await OneOperationAtATime.AssertCancelledWaitRunsNothingAsync(new InMemorySchemeDatabase());

    [Fact]
    public async Task ALogBatchThatDoesNotContinueTheLogFailsInsideTheOperationAndCommitsNothing()
    {
        var database = new InMemorySchemeDatabase();
        var stray = new MerkleNode(new MerkleNodeId(0, 5), MerkleTree.HashLeaf(new byte[] { 1 }));

        await Assert.ThrowsAsync<ArgumentException>(() => database.RunAsync(
            async ct =>
            {
                await new MerkleLog(database.Log).AppendAsync(new byte[] { 1 }, ct);
                return await database.Log.TryAppendAsync(1, 2, new[] { stray }, ct);
            },
            CancellationToken.None));

        Assert.Equal(0UL, await database.Log.GetLeafCountAsync(CancellationToken.None));
    }

    private static SharedStores Shared(InMemorySchemeDatabase database) => new(database.Ledger, database.Scheme, database.Log, database);
}
