using System.Security.Cryptography;
using Wallet.Protocol.Tests.Schemes;
using Wallet.Storage.Postgres.Locks;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Database;

/// <summary>
/// The two-node contract as two scheme processes run it on PostgreSQL: each node its own <see cref="PostgresSchemeDatabase"/>
/// (its own pool, ledger cache and operation transactions) over one schema, and its own <see cref="PostgresSchemeWriteLock"/>
/// onto one advisory lock.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeDatabaseTwoNodeTests(PostgresFixture server) : TwoNodeContract, IAsyncLifetime
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
        string schema = await server.NewSchemaAsync("dbnodes");
        long lockId = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
        async Task<Backend> NodeAsync()
        {
            var database = await PostgresSchemeDatabase.OpenAsync(schema);
            _owned.Add(database);
            return new Backend(database.Ledger, database.Scheme, database.Log, async () =>
            {
                var writeLock = await PostgresSchemeWriteLock.OpenAsync(schema, lockId);
                _owned.Add(writeLock);
                return writeLock;
            })
            { Transactions = database };
        }

        var a = await NodeAsync();
        return a with { NodeB = await NodeAsync() };
    }
}
