using Wallet.Storage.Postgres.Locks;
using Wallet.Storage.Postgres.Tests.Locks;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Database;

/// <summary>
/// The two-node contract as two scheme processes run it on PostgreSQL: each node its own <see cref="PostgresSchemeDatabase"/>
/// (its own pool, ledger cache and operation transactions) over one schema, and its own <see cref="PostgresSchemeWriteLock"/>
/// onto one advisory lock.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeDatabaseTwoNodeTests(PostgresFixture server) : PostgresTwoNodeBackends
{
    protected override async Task<Backend> OpenBackendAsync()
    {
        string schema = await server.NewSchemaAsync("dbnodes");
        var locks = NodeLocks(schema);
        async Task<Backend> NodeAsync()
        {
            var database = Own(await PostgresSchemeDatabase.OpenAsync(schema));
            return new Backend(database.Ledger, database.Scheme, database.Log, locks) { Transactions = database };
        }

        var a = await NodeAsync();
        return a with { NodeB = await NodeAsync() };
    }
}
