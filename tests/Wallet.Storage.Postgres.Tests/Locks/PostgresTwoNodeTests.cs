using System.Security.Cryptography;
using Wallet.Protocol.Tests.Schemes;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Locks;
using Wallet.Storage.Postgres.Merkle;
using Wallet.Storage.Postgres.Scheme;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Locks;

/// <summary>
/// The two-node contract with the ledger, the scheme state and the Merkle log in one schema on the real server, and each
/// node holding its own <see cref="PostgresSchemeWriteLock"/> (its own connection) onto one advisory lock. Key custody is
/// shared in memory (the contract's own); the process-level test with every store in PostgreSQL is
/// Wallet.Protocol.AspNetCore.Tests' SchemeServerTwoNodeTests.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTwoNodeTests(PostgresFixture server) : TwoNodeContract, IAsyncLifetime
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

    protected override async Task<Backend> OpenBackendAsync()
    {
        string database = await server.NewSchemaAsync("nodes");
        var ledger = await PostgresLedgerStore.OpenAsync(database);
        _owned.Add(ledger);
        var schemeStore = await PostgresSchemeStore.OpenAsync(database);
        _owned.Add(schemeStore);
        var logStore = await PostgresMerkleLogStore.OpenAsync(database);
        _owned.Add(logStore);
        long lockId = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
        return new Backend(ledger, schemeStore, logStore, async () =>
        {
            var writeLock = await PostgresSchemeWriteLock.OpenAsync(database, lockId);
            _owned.Add(writeLock);
            return writeLock;
        });
    }
}
