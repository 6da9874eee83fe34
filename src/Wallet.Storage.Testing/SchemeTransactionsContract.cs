namespace Wallet.Storage.Testing;

/// <summary>
/// The behaviour of stores that share one transaction per scheme operation (<see cref="ISchemeTransactions"/>): what
/// an operation writes to the ledger, the scheme store and the Merkle log commits together when it returns, or not at
/// all when it throws; readers outside it see only what was committed; operations do not nest; a payroll batch's
/// contribution records go with its journal entries. WalletCore's <c>SqliteSchemeDatabase</c>,
/// <c>PostgresSchemeDatabase</c> and <see cref="Wallet.Protocol.Schemes.InMemorySchemeDatabase"/> pass it.
/// </summary>
/// <remarks>
/// <para>
/// docs/architecture.md "One transaction per operation". To check your own shared store, inherit this class in an
/// xUnit v2 test project and return fresh, empty stores from <see cref="CreateAsync"/>. Each store must also pass its
/// own contract (<see cref="LedgerStoreContract"/>, <see cref="SchemeStoreContract"/>, <see cref="MerkleLogStoreContract"/>).
/// </para>
/// <code>
/// public sealed class MyDatabaseTransactionsTests : SchemeTransactionsContract, IDisposable
/// {
///     private readonly List&lt;MyDatabase&gt; _open = [];
///
///     protected override async Task&lt;SharedStores&gt; CreateAsync()
///     {
///         var database = await MyDatabase.OpenNewAsync();
///         _open.Add(database);
///         return new SharedStores(database.Ledger, database.Scheme, database.Log, database);
///     }
///
///     public void Dispose() =&gt; _open.ForEach(d =&gt; d.Dispose());
/// }
/// </code>
/// </remarks>
public abstract class SchemeTransactionsContract
{
    private static readonly AccountId Worker = new("worker-1");

    /// <summary>Returns new, empty stores sharing one transaction per operation; each test calls it once.</summary>
    /// <returns>The stores the test runs against.</returns>
    protected abstract Task<SharedStores> CreateAsync();

    /// <summary>An operation that returns commits its ledger entry, its scheme record and its log leaf together.</summary>
    [Fact]
    public async Task OperationThatReturnsCommitsItsWritesToEveryStore()
    {
        var stores = await CreateAsync();
        using var key = Ed25519SigningKey.Generate();

        int result = await stores.Transactions.RunAsync(ct => WriteToEveryStoreAsync(stores, key.PublicKey, ct), CancellationToken.None);

        Assert.Equal(7, result);
        await AssertWrittenAsync(stores, written: true);
    }

    /// <summary>An operation that throws after writing to every store leaves nothing in any of them, and can run again.</summary>
    [Fact]
    public async Task OperationThatThrowsLeavesNothingInAnyStore()
    {
        var stores = await CreateAsync();
        using var key = Ed25519SigningKey.Generate();

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => stores.Transactions.RunAsync<int>(
            async ct =>
            {
                await WriteToEveryStoreAsync(stores, key.PublicKey, ct);
                throw new InvalidOperationException("after every write");
            },
            CancellationToken.None));

        Assert.Equal("after every write", thrown.Message);
        await AssertWrittenAsync(stores, written: false);
        await stores.Transactions.RunAsync(ct => WriteToEveryStoreAsync(stores, key.PublicKey, ct), CancellationToken.None);
        await AssertWrittenAsync(stores, written: true);
    }

    /// <summary>While an operation is open, it sees its own writes and a reader outside it sees none of them.</summary>
    [Fact]
    public async Task ReadersOutsideAnOpenOperationSeeOnlyWhatWasCommitted()
    {
        var stores = await CreateAsync();
        using var key = Ed25519SigningKey.Generate();
        var written = new TaskCompletionSource();
        var hold = new TaskCompletionSource();
        var operation = stores.Transactions.RunAsync(
            async ct =>
            {
                await WriteToEveryStoreAsync(stores, key.PublicKey, ct);
                await AssertWrittenAsync(stores, written: true);
                written.SetResult();
                await hold.Task;
                return 0;
            },
            CancellationToken.None);
        if (await Task.WhenAny(written.Task, operation) == operation)
        {
            await operation; // it failed before its writes were done: show why
        }

        await Task.Run(() => AssertWrittenAsync(stores, written: false));
        hold.SetResult();
        await operation;
        await AssertWrittenAsync(stores, written: true);
    }

    /// <summary>An operation started inside another is refused, and the outer one rolls back and frees the stores.</summary>
    [Fact]
    public async Task OperationsDoNotNest()
    {
        var stores = await CreateAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => stores.Transactions.RunAsync(
            ct => stores.Transactions.RunAsync(_ => Task.FromResult(1), ct),
            CancellationToken.None));

        Assert.Equal(2, await stores.Transactions.RunAsync(_ => Task.FromResult(2), CancellationToken.None));
    }

    /// <summary>
    /// A payroll batch whose ledger commit fails leaves none of its contribution records (written before the entries),
    /// and the retried batch applies every line once; retried again, it applies nothing twice.
    /// </summary>
    [Fact]
    public async Task PayrollBatchWhoseLedgerCommitFailsLeavesNoContributionRecord()
    {
        var stores = await CreateAsync();
        var failing = new FaultInjectingLedgerStore(stores.Ledger);
        using var schemeKey = Ed25519SigningKey.Generate();
        using var accreditation = Ed25519SigningKey.Generate();
        using var accountKey = Ed25519SigningKey.Generate();
        var scheme = new BenefitScheme(schemeKey, accreditation.PublicKey, new SchemeLedger(failing, TimeProvider.System), stores.Scheme, stores.Log, TimeProvider.System)
        {
            Transactions = stores.Transactions,
        };
        await scheme.RegisterAccountAsync(Worker, accountKey.PublicKey);
        Wallet.Protocol.Operators.PayrollLine[] batch =
        [
            new(new AccountId("employer-1"), new IdempotencyKey("line-1"), ContributionSource.Employer, Worker, Amount.FromMinorUnits(700)),
            new(new AccountId("employer-2"), new IdempotencyKey("line-2"), ContributionSource.Employer, Worker, Amount.FromMinorUnits(300)),
        ];

        failing.NextFault = StoreFault.BeforeCommit;
        await Assert.ThrowsAsync<LedgerStoreException>(() => scheme.ContributeBatchAsync(batch));

        Assert.True(failing.Fired);
        foreach (var line in batch)
        {
            Assert.Null(await stores.Scheme.GetContributionRecordAsync(line.LedgerKey, CancellationToken.None));
        }

        Assert.Equal(0, await scheme.GetWorkerBalanceAsync(Worker));

        Assert.All(await scheme.ContributeBatchAsync(batch), line => Assert.True(line.Succeeded && !line.IsReplay));
        foreach (var line in batch)
        {
            Assert.NotNull(await stores.Scheme.GetContributionRecordAsync(line.LedgerKey, CancellationToken.None));
        }

        Assert.All(await scheme.ContributeBatchAsync(batch), line => Assert.True(line.IsReplay));
        Assert.Equal(1_000, await scheme.GetWorkerBalanceAsync(Worker));
        Assert.True((await new SchemeLedger(stores.Ledger, TimeProvider.System).VerifyAsync()).IsValid);
    }

    /// <summary>Writes a contribution to the ledger, an account key to the scheme store and a leaf to the log; returns 7.</summary>
    /// <param name="stores">The stores.</param>
    /// <param name="key">The account key stored.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>7.</returns>
    protected static async Task<int> WriteToEveryStoreAsync(SharedStores stores, Ed25519PublicKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stores);
        var ledger = new SchemeLedger(stores.Ledger, TimeProvider.System);
        var result = await ledger.ContributeAsync(new IdempotencyKey("c1"), ContributionSource.Employer, Worker, Amount.FromMinorUnits(500), cancellationToken);
        Assert.Equal(LedgerStatus.Applied, result.Status);
        await stores.Scheme.PutAccountKeyAsync(Worker, key, cancellationToken);
        await new MerkleLog(stores.Log).AppendAsync(new byte[] { 1, 2, 3 }, cancellationToken);
        return 7;
    }

    /// <summary>
    /// Starts an operation that writes to all three stores (<see cref="WriteToEveryStoreAsync"/>), then waits for
    /// <paramref name="hold"/> before it returns or throws; returned once the writes are done, with the operation still
    /// open, so a test can act beside a running operation.
    /// </summary>
    /// <param name="stores">The stores and their transactions.</param>
    /// <param name="key">The account key the operation stores.</param>
    /// <param name="hold">Completes when the operation may end.</param>
    /// <param name="thenThrow">Whether it then throws (rolled back) rather than returns.</param>
    /// <returns>The running operation.</returns>
    protected static async Task<Task<int>> WrittenAndHeldAsync(SharedStores stores, Ed25519PublicKey key, Task hold, bool thenThrow)
    {
        ArgumentNullException.ThrowIfNull(stores);
        var written = new TaskCompletionSource();
        var operation = stores.Transactions.RunAsync(
            async ct =>
            {
                await WriteToEveryStoreAsync(stores, key, ct);
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

    /// <summary>Asserts that the writes of <see cref="WriteToEveryStoreAsync"/> are all there, or none of them.</summary>
    /// <param name="stores">The stores.</param>
    /// <param name="written">Whether they are expected.</param>
    /// <returns>A task.</returns>
    protected static async Task AssertWrittenAsync(SharedStores stores, bool written)
    {
        ArgumentNullException.ThrowIfNull(stores);
        var ledger = new SchemeLedger(stores.Ledger, TimeProvider.System);
        Assert.Equal(written ? 500 : 0, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker)));
        Assert.Equal(written ? 1UL : 0UL, await stores.Log.GetLeafCountAsync(CancellationToken.None));
        Assert.Equal(written, await ((Wallet.Protocol.Withdrawals.IWithdrawalStore)stores.Scheme).HasAccountAsync(Worker, CancellationToken.None));
    }
}
