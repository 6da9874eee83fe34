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
/// Protocol worlds whose ledger and scheme store live in one PostgreSQL schema of the throwaway server, over one data
/// source (the deployment the scheme store is built for: one database for everything); the Merkle log stays in memory.
/// A new schema per world; <see cref="ReleaseAsync"/> closes the stores and pools of every world made so far.
/// </summary>
public sealed class PostgresSchemeWorlds(PostgresFixture server) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    public async Task<ProtocolWorld> CreateAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa)
    {
        var (ledger, scheme, log) = await CreateStoresAsync();
        return await ProtocolWorld.CreateAsync(ledger, scheme, log, mode);
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
