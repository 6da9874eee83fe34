using System.Security.Cryptography;
using Wallet.Protocol.Tests.Schemes;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Locks;
using Wallet.Storage.Postgres.Merkle;
using Wallet.Storage.Postgres.Scheme;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Locks;

/// <summary>
/// The two-node contract with the ledger, the scheme state and the Merkle log in one schema on the real server, the
/// three stores committing one by one, and each node holding its own <see cref="PostgresSchemeWriteLock"/> (its own
/// connection) onto one advisory lock. Key custody is shared in memory (the contract's own); the same contract with one
/// transaction per operation is Database/PostgresSchemeDatabaseTwoNodeTests, and the process-level test with every
/// store in PostgreSQL is Wallet.Protocol.AspNetCore.Tests' SchemeServerTwoNodeTests.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTwoNodeTests(PostgresFixture server) : PostgresTwoNodeBackends
{
    protected override async Task<Backend> OpenBackendAsync()
    {
        string database = await server.NewSchemaAsync("nodes");
        var ledger = Own(await PostgresLedgerStore.OpenAsync(database));
        var schemeStore = Own(await PostgresSchemeStore.OpenAsync(database));
        var logStore = Own(await PostgresMerkleLogStore.OpenAsync(database));
        return new Backend(ledger, schemeStore, logStore, NodeLocks(database));
    }
}

/// <summary>What the PostgreSQL two-node suites share: what they open is disposed after each test, and each node's write lock is one more connection onto one advisory lock.</summary>
public abstract class PostgresTwoNodeBackends : TwoNodeContract, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    /// <summary>Disposes <paramref name="value"/> after the test.</summary>
    protected T Own<T>(T value)
        where T : IAsyncDisposable
    {
        _owned.Add(value);
        return value;
    }

    /// <summary>Opens, per call, one node's <see cref="PostgresSchemeWriteLock"/> on <paramref name="connectionString"/>, all onto one new lock id.</summary>
    protected Func<Task<Wallet.Protocol.Flows.ISchemeWriteLock>> NodeLocks(string connectionString)
    {
        long lockId = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
        return async () => Own(await PostgresSchemeWriteLock.OpenAsync(connectionString, lockId));
    }
}
