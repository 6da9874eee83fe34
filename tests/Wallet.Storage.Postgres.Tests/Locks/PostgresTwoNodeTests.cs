using System.Security.Cryptography;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.Schemes;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Locks;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Locks;

/// <summary>
/// The two-node contract with the ledger on the real server and each node holding its own
/// <see cref="PostgresSchemeWriteLock"/> (its own connection) onto one advisory lock. The scheme state and the log are
/// shared in memory by reference until their PostgreSQL stores take their place.
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
        long lockId = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
        return new Backend(ledger, new InMemorySchemeStore(), new InMemoryMerkleLogStore(), async () =>
        {
            var writeLock = await PostgresSchemeWriteLock.OpenAsync(database, lockId);
            _owned.Add(writeLock);
            return writeLock;
        });
    }
}
