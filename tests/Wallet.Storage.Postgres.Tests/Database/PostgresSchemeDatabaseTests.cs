using Npgsql;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Postgres.Tests.Ledger;
using Wallet.Storage.Postgres.Tests.Scheme;
using Wallet.Storage.Postgres.Tests.Server;
using Wallet.Storage.Testing;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Storage.Postgres.Tests.Database;

/// <summary>
/// One transaction per operation in one PostgreSQL schema: the published contract (<see cref="SchemeTransactionsContract"/>:
/// an operation's ledger, scheme and log writes commit together or not at all), and what is particular to a server: a
/// connection killed mid-operation, a failed statement the operation swallowed, a ledger write refused inside an
/// operation, and what a rolled-back operation must not leave in the ledger's per-process state.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeDatabaseTests(PostgresFixture server) : SchemeTransactionsContract, IAsyncLifetime
{
    private static readonly AccountId Worker = new("worker-1");

    private readonly PostgresSchemeWorlds _worlds = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();

    protected override async Task<SharedStores> CreateAsync() => Shared(await _worlds.OpenDatabaseAsync());

    [Fact]
    public async Task ConnectionKilledMidOperationLeavesNothing()
    {
        // What a kill -9 of the node does to its transaction: the server sees the connection go, and never a COMMIT.
        string application = "walletcore-kill-" + Guid.NewGuid().ToString("N")[..12];
        var builder = new NpgsqlConnectionStringBuilder(await server.NewSchemaAsync("killed")) { ApplicationName = application };
        var database = await _worlds.OpenDatabaseAsync(builder.ConnectionString);
        using var key = Ed25519SigningKey.Generate();
        var written = new TaskCompletionSource();
        var hold = new TaskCompletionSource();
        var operation = database.RunAsync(
            async ct =>
            {
                await WriteToEveryStoreAsync(Shared(database), key.PublicKey, ct);
                written.SetResult();
                await hold.Task;
                await new SchemeLedger(database.Ledger, TimeProvider.System).ContributeAsync(Key("after-kill"), ContributionSource.Employer, Worker, Pence(1), ct);
                return 0;
            },
            CancellationToken.None);
        await written.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await using (var admin = await OpenAdminAsync(builder.ConnectionString))
        await using (var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle in transaction'", admin))
        {
            kill.Parameters.Add(new NpgsqlParameter { Value = application });
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }

        hold.SetResult();
        await Assert.ThrowsAnyAsync<Exception>(() => operation);
        await AssertWrittenAsync(Shared(database), written: false);
        Assert.True((await new SchemeLedger(database.Ledger, TimeProvider.System).VerifyAsync()).IsValid);

        // The database serves the next operation on a fresh connection.
        await database.RunAsync(ct => WriteToEveryStoreAsync(Shared(database), key.PublicKey, ct), CancellationToken.None);
        await AssertWrittenAsync(Shared(database), written: true);
    }

    [Fact]
    public async Task OperationThatSwallowsAFailedStatementIsNotCommitted()
    {
        // PostgreSQL answers COMMIT in an aborted transaction with a rollback, not an error: the database must refuse.
        string connectionString = await server.NewSchemaAsync("swallowed");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var database = await PostgresSchemeDatabase.OpenAsync(dataSource);
        await using var _ = database;
        var operations = new PostgresOperations(dataSource);
        await Assert.ThrowsAsync<PostgresException>(() => operations.RunAsync(
            async ct =>
            {
                await using var lease = await operations.LeaseAsync(ct);
                await using (var write = new NpgsqlCommand("INSERT INTO scheme_accounts (account, key) VALUES ('kept?', '\\x00')", lease.Connection))
                {
                    await write.ExecuteNonQueryAsync(ct);
                }

                await using var failing = new NpgsqlCommand("SELECT 1 / 0", lease.Connection);
                await Assert.ThrowsAsync<PostgresException>(() => failing.ExecuteScalarAsync(ct));
                return 0;
            },
            () => { },
            CancellationToken.None));

        Assert.False(await database.Scheme.HasAccountAsync(new AccountId("kept?"), CancellationToken.None));
    }

    [Fact]
    public async Task LedgerWriteRefusedInsideAnOperationLeavesTheOperationUsable()
    {
        // The ledger's write is a savepoint: a refused entry (here a coin already spent, caught by the spent set's key)
        // rolls back to it, and the rest of the operation still commits.
        var database = await _worlds.OpenDatabaseAsync();
        var ledger = new SchemeLedger(database.Ledger, TimeProvider.System);
        await ledger.ContributeAsync(Key("fund"), ContributionSource.Employer, Worker(1), Pence(1_000));
        await ledger.WithdrawAsync(Key("w"), Worker(1), [Issue(1, 500), Issue(1, 500)]);
        Assert.Equal(LedgerStatus.Applied, (await ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 500)])).Status);

        using var key = Ed25519SigningKey.Generate();
        await database.RunAsync(
            async ct =>
            {
                var head = await ReadHeadAsync(database, ct);
                await using (var tx = await database.Ledger.BeginWriteAsync(ct))
                {
                    await tx.FindOutcomeAsync(Key("raw"), ct);
                    var entry = RawJournalEntry.After(head, Key("raw"), TimeProvider.System.GetUtcNow(), [new Posting(LedgerAccount.Outstanding(Keyset(1)), -500), new Posting(LedgerAccount.Provider(Provider(1)), 500)], [Spent(1, 1, 500)]);
                    await Assert.ThrowsAsync<LedgerStoreException>(() => tx.AppendAsync(entry, ct).AsTask());
                }

                Assert.Equal(LedgerStatus.Applied, (await ledger.DepositAsync(Key("d2"), Provider(1), [Spent(2, 1, 500)], ct)).Status);
                await database.Scheme.PutAccountKeyAsync(Worker, key.PublicKey, ct);
                return 0;
            },
            CancellationToken.None);

        Assert.Equal(1_000, await ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
        Assert.True(await database.Scheme.HasAccountAsync(Worker, CancellationToken.None));
        Assert.True((await ledger.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task RolledBackOperationLeavesNoSpentSetPartitionBelieved()
    {
        // The first entry of a keyset creates its spent-set partition; rolled back, the partition is gone, and this
        // process must not go on believing it exists (a deposit of the keyset would then find no partition).
        var database = await _worlds.OpenDatabaseAsync();
        var ledger = new SchemeLedger(database.Ledger, TimeProvider.System);
        await ledger.ContributeAsync(Key("fund"), ContributionSource.Employer, Worker(1), Pence(1_000));
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.RunAsync<int>(
            async ct =>
            {
                Assert.Equal(LedgerStatus.Applied, (await ledger.WithdrawAsync(Key("w-rolled-back"), Worker(1), [Issue(7, 500)], ct)).Status);
                throw new InvalidOperationException("after the withdrawal");
            },
            CancellationToken.None));

        Assert.Equal(1_000, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        await database.RunAsync(ct => ledger.WithdrawAsync(Key("w"), Worker(1), [Issue(7, 500)], ct), CancellationToken.None);
        var deposit = await database.RunAsync(ct => ledger.DepositAsync(Key("d"), Provider(1), [Spent(1, 7, 500)], ct), CancellationToken.None);
        Assert.Equal(LedgerStatus.Applied, deposit.Status);
        Assert.Equal(500, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        Assert.True((await ledger.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task WriteOutsideAnOperationCommitsOnItsOwnBesideARunningOne()
    {
        // A store called from outside the operation's flow uses a connection of its own: its write is kept when the
        // operation rolls back, and it waits for the running operation only where both lock one row (the ledger head).
        var database = await _worlds.OpenDatabaseAsync();
        using var key = Ed25519SigningKey.Generate();
        var hold = new TaskCompletionSource();
        var written = new TaskCompletionSource();
        var operation = database.RunAsync<int>(
            async ct =>
            {
                await WriteToEveryStoreAsync(Shared(database), key.PublicKey, ct);
                written.SetResult();
                await hold.Task;
                throw new InvalidOperationException("rolled back");
            },
            CancellationToken.None);
        await written.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var other = new AccountId("worker-outside");
        await Task.Run(() => database.Scheme.PutAccountKeyAsync(other, key.PublicKey, CancellationToken.None).AsTask());
        var ledger = new SchemeLedger(database.Ledger, TimeProvider.System);
        var contribution = Task.Run(() => ledger.ContributeAsync(Key("c-outside"), ContributionSource.Employer, other, Pence(300)));
        await Task.Delay(200);
        Assert.False(contribution.IsCompleted);
        hold.SetResult();
        await Assert.ThrowsAsync<InvalidOperationException>(() => operation);
        Assert.Equal(LedgerStatus.Applied, (await contribution).Status);

        await AssertWrittenAsync(Shared(database), written: false);
        Assert.True(await database.Scheme.HasAccountAsync(other, CancellationToken.None));
        Assert.Equal(300, await ledger.GetBalanceAsync(LedgerAccount.Worker(other)));
        Assert.True((await ledger.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task CancelledOperationCommitsNothing()
    {
        var database = await _worlds.OpenDatabaseAsync();
        using var key = Ed25519SigningKey.Generate();
        using var cancel = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => database.RunAsync<int>(
            async ct =>
            {
                await WriteToEveryStoreAsync(Shared(database), key.PublicKey, ct);
                await cancel.CancelAsync();
                ct.ThrowIfCancellationRequested();
                return 0;
            },
            cancel.Token));

        await AssertWrittenAsync(Shared(database), written: false);
    }

    private static SharedStores Shared(PostgresSchemeDatabase database) => new(database.Ledger, database.Scheme, database.Log, database);

    private static async Task<JournalHead> ReadHeadAsync(PostgresSchemeDatabase database, CancellationToken cancellationToken)
    {
        await using var read = await database.Ledger.BeginReadAsync(cancellationToken);
        return await read.GetHeadAsync(cancellationToken);
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "walletcore-admin", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
