using Npgsql;
using Wallet.Benchmarks.Postgres;
using Wallet.Storage.Postgres.Ledger;

namespace Wallet.Storage.Postgres.Tests.Server;

/// <summary>
/// One real PostgreSQL server for the whole test collection, each test getting its own schema. The server is
/// started by the tests (or taken from WALLETCORE_TEST_POSTGRES); if it cannot be, every test of the
/// collection fails with the reason: none is skipped.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    internal PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server did not start.");

    public string AdminConnectionString => Server.AdminConnectionString;

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync(durable: false);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A connection string for a new, empty schema.</summary>
    public Task<string> NewSchemaAsync(string prefix = "ledger") => Server.CreateSchemaAsync(prefix);

    /// <summary>A store over a new, empty schema.</summary>
    public async Task<PostgresLedgerStore> NewStoreAsync(string prefix = "ledger") => await PostgresLedgerStore.OpenAsync(await NewSchemaAsync(prefix));

    public Task RestartAsync() => Server.RestartAsync();

    public async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
