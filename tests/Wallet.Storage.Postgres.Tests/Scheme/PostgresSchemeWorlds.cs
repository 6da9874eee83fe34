using Npgsql;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Scheme;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Scheme;

/// <summary>
/// Protocol worlds as the product runs them on PostgreSQL: one <see cref="PostgresSchemeDatabase"/> per world (ledger,
/// scheme store and Merkle log in one schema of the throwaway server, one transaction per operation). A new schema per
/// world; <see cref="ReleaseAsync"/> closes the databases and pools of every world made so far.
/// <see cref="CreateStoresAsync"/> gives stores that commit one by one instead (the Merkle log in memory), for the
/// suites that check what separate commits leave behind.
/// </summary>
public sealed class PostgresSchemeWorlds(PostgresFixture server) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    public async Task<ProtocolWorld> CreateAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa)
    {
        var database = await OpenDatabaseAsync();
        return await ProtocolWorld.CreateAsync(
            database.Ledger,
            database.Scheme,
            database.Log,
            mode,
            scheme: world => new BenefitScheme(world.SchemeKey, world.AccreditationKey.PublicKey, world.Ledger, database.Scheme, database.Log, world.Time) { Transactions = database });
    }

    /// <summary>A database in a new schema, over a data source of its own (closed with the database).</summary>
    public async Task<PostgresSchemeDatabase> OpenDatabaseAsync(string? connectionString = null)
    {
        var database = await PostgresSchemeDatabase.OpenAsync(connectionString ?? await server.NewSchemaAsync("scheme"));
        _owned.Add(database);
        return database;
    }

    public async Task<(ILedgerStore Ledger, ISchemeStore Scheme, IMerkleLogStore Log)> CreateStoresAsync()
    {
        string connectionString = await server.NewSchemaAsync("scheme");
        var dataSource = NpgsqlDataSource.Create(PostgresLedgerStore.TuneConnectionString(connectionString));
        _owned.Add(dataSource);
        var ledger = PostgresLedgerStore.Create(dataSource);
        _owned.Add(ledger);
        var scheme = await PostgresSchemeStore.OpenAsync(dataSource);
        _owned.Add(scheme);
        return (ledger, scheme, new InMemoryMerkleLogStore());
    }

    public async ValueTask ReleaseAsync()
    {
        // Stores before the data source they borrow.
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        _owned.Clear();
    }

    public ValueTask DisposeAsync() => ReleaseAsync();
}
