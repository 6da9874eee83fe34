using System.Security.Cryptography;
using Npgsql;
using Wallet.Protocol.Flows;
using Wallet.Storage.Postgres.Locks;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Locks;

/// <summary>
/// The scheme's write lock across processes on the real server: two lock objects (two connections, as two nodes) exclude
/// each other, a killed holder's lock is released by the server, and a holder whose connection died learns it with a
/// typed error instead of going on unguarded. Each test takes its own lock id: advisory locks are per database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeWriteLockTests(PostgresFixture server)
{
    private static readonly TimeSpan Blocked = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly long _lockId = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));

    [Fact]
    public async Task SecondNodeWaitsUntilTheFirstReleases()
    {
        string database = await server.NewSchemaAsync("gate");
        await using var first = await PostgresSchemeWriteLock.OpenAsync(database, _lockId);
        await using var second = await PostgresSchemeWriteLock.OpenAsync(database, _lockId);

        var held = await first.EnterAsync(CancellationToken.None);
        var waiting = second.EnterAsync(CancellationToken.None).AsTask();
        await Task.Delay(Blocked);
        Assert.False(waiting.IsCompleted);

        await held.DisposeAsync();
        var taken = await waiting.WaitAsync(Patience);
        await taken.DisposeAsync();
    }

    [Fact]
    public async Task HoldersInOneProcessQueueOnOneLock()
    {
        string database = await server.NewSchemaAsync("gate");
        await using var writeLock = await PostgresSchemeWriteLock.OpenAsync(database, _lockId);
        int inside = 0, most = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 10; i++)
            {
                var held = await writeLock.EnterAsync(CancellationToken.None);
                int now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                await writeLock.EnsureHeldAsync(CancellationToken.None);
                Interlocked.Decrement(ref inside);
                await held.DisposeAsync();
            }
        })));

        Assert.Equal(1, most);
    }

    [Fact]
    public async Task KilledHoldersLockIsReleasedByTheServer()
    {
        string database = await server.NewSchemaAsync("gate");
        await using var killed = await PostgresSchemeWriteLock.OpenAsync(database, _lockId);
        await using var survivor = await PostgresSchemeWriteLock.OpenAsync(database, _lockId);
        _ = await killed.EnterAsync(CancellationToken.None);
        var waiting = survivor.EnterAsync(CancellationToken.None).AsTask();
        await Task.Delay(Blocked);
        Assert.False(waiting.IsCompleted);

        await TerminateHolderAsync();

        var taken = await waiting.WaitAsync(Patience);
        await survivor.EnsureHeldAsync(CancellationToken.None);
        await taken.DisposeAsync();
    }

    [Fact]
    public async Task HolderWhoseConnectionDiedGetsATypedErrorAndCanTakeTheLockAgain()
    {
        string database = await server.NewSchemaAsync("gate");
        await using var writeLock = await PostgresSchemeWriteLock.OpenAsync(database, _lockId);
        var held = await writeLock.EnterAsync(CancellationToken.None);

        await TerminateHolderAsync();

        await Assert.ThrowsAsync<SchemeWriteLockLostException>(() => writeLock.EnsureHeldAsync(CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<SchemeWriteLockLostException>(() => held.DisposeAsync().AsTask());

        // The next holder gets a fresh connection, and the lock is really its own: another node waits for it.
        var again = await writeLock.EnterAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        await writeLock.EnsureHeldAsync(CancellationToken.None);
        Assert.Equal(1L, await HolderCountAsync());
        await again.DisposeAsync();
        Assert.Equal(0L, await HolderCountAsync());
    }

    [Fact]
    public async Task CancelledWaitLeavesNothingHeld()
    {
        string database = await server.NewSchemaAsync("gate");
        await using var first = await PostgresSchemeWriteLock.OpenAsync(database, _lockId);
        await using var second = await PostgresSchemeWriteLock.OpenAsync(database, _lockId);
        var held = await first.EnterAsync(CancellationToken.None);

        using var cancel = new CancellationTokenSource(Blocked);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.EnterAsync(cancel.Token).AsTask());
        await held.DisposeAsync();

        Assert.Equal(0L, await HolderCountAsync());
        var taken = await second.EnterAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        await taken.DisposeAsync();
    }

    [Fact]
    public async Task DisposingTheLockReleasesWhatItHolds()
    {
        string database = await server.NewSchemaAsync("gate");
        await using var other = await PostgresSchemeWriteLock.OpenAsync(database, _lockId);
        var writeLock = await PostgresSchemeWriteLock.OpenAsync(database, _lockId);
        _ = await writeLock.EnterAsync(CancellationToken.None);

        await writeLock.DisposeAsync();

        var taken = await other.EnterAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        await taken.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writeLock.EnterAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task BorrowedDataSourceIsNotDisposedAndItsPoolKeepsNoLock()
    {
        string database = await server.NewSchemaAsync("gate");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using (var writeLock = await PostgresSchemeWriteLock.OpenAsync(dataSource, _lockId))
        {
            _ = await writeLock.EnterAsync(CancellationToken.None);
        }

        // The lock's pooled session went back to the pool without the lock, and the data source still works.
        Assert.Equal(0L, await HolderCountAsync());
        await using var connection = await dataSource.OpenConnectionAsync();
    }

    [Fact]
    public async Task UnreachableServerIsATypedErrorWithoutTheConnectionString()
    {
        const string Unreachable = "Host=127.0.0.1;Port=1;Timeout=2;Username=nobody;Password=hunter2-secret";

        var error = await Assert.ThrowsAsync<SchemeWriteLockException>(() => PostgresSchemeWriteLock.OpenAsync(Unreachable, _lockId));

        Assert.DoesNotContain("hunter2-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnheldLockIsNotConfirmed()
    {
        string database = await server.NewSchemaAsync("gate");
        await using var writeLock = await PostgresSchemeWriteLock.OpenAsync(database, _lockId);

        await Assert.ThrowsAsync<SchemeWriteLockLostException>(() => writeLock.EnsureHeldAsync(CancellationToken.None).AsTask());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    // Advisory locks on one 64-bit key show in pg_locks as classid (high half) and objid (low half), objsubid 1.
    private const string HoldersOfLock = """
        FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
          AND classid::bigint = ((@id >> 32) & 4294967295) AND objid::bigint = (@id & 4294967295)
        """;

    private async Task<long> HolderCountAsync()
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) {HoldersOfLock}", connection);
        command.Parameters.AddWithValue("id", _lockId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // Ends the holder's backend as a crash or an operator would; the server releases its session locks.
    private async Task TerminateHolderAsync()
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(pg_terminate_backend(pid)) {HoldersOfLock}", connection);
        command.Parameters.AddWithValue("id", _lockId);
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }
}
