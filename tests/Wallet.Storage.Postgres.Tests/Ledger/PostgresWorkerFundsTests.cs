using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Ledger;

/// <summary>
/// A worker's fund sub-balances on PostgreSQL (docs/PROTOCOL.md 5.22): read by a code-point range over the partial
/// index of schema version 5, never by scanning every balance, and never mixing a worker whose id extends another's.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresWorkerFundsTests(PostgresFixture server)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 9, 30, 0, TimeSpan.Zero));

    [Fact]
    public async Task FundBalancesAreTheWorkersOwnAndNotThoseOfAnIdThatExtendsIt()
    {
        string schema = await server.NewSchemaAsync();
        await using var store = await PostgresLedgerStore.OpenAsync(schema);
        var ledger = new SchemeLedger(store, _time);
        var worker = new AccountId("worker-7");
        var longer = new AccountId("worker-7x");
        var nested = new AccountId("worker-7/extra");
        Assert.True((await ledger.ContributeAsync(new IdempotencyKey("g"), ContributionSource.Employer, worker, Amount.FromMinorUnits(300))).Succeeded);
        Assert.True((await ledger.ContributeAsync(new IdempotencyKey("t"), ContributionSource.Levy, worker, Amount.FromMinorUnits(50), "training")).Succeeded);
        Assert.True((await ledger.ContributeAsync(new IdempotencyKey("l"), ContributionSource.Levy, longer, Amount.FromMinorUnits(70), "training")).Succeeded);
        Assert.True((await ledger.ContributeAsync(new IdempotencyKey("n"), ContributionSource.Levy, nested, Amount.FromMinorUnits(90), "training")).Succeeded);

        var funds = await ledger.GetFundBalancesAsync(worker);

        Assert.Equal(300, funds["general"].MinorUnits);
        Assert.Equal(50, funds["training"].MinorUnits);
        Assert.Equal(2, funds.Count);
        Assert.Equal(90, (await ledger.GetFundBalancesAsync(nested))["training"].MinorUnits);
    }

    [Fact]
    public async Task VersionFourSchemaGainsTheFundIndexAndKeepsItsBalances()
    {
        string schema = await server.NewSchemaAsync();
        await using (var old = await PostgresLedgerStore.OpenAsync(schema))
        {
            await new SchemeLedger(old, _time).ContributeAsync(new IdempotencyKey("t"), ContributionSource.Levy, new AccountId("worker-1"), Amount.FromMinorUnits(40), "training");
        }

        await server.ScalarAsync(schema, "DROP INDEX balances_worker_funds");
        await server.ScalarAsync(schema, "UPDATE ledger_schema SET version = 4");

        await using var store = await PostgresLedgerStore.OpenAsync(schema);

        Assert.Equal(PostgresLedgerStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM ledger_schema"));
        Assert.Equal(1L, await server.ScalarAsync(schema, "SELECT count(*) FROM pg_indexes WHERE indexname = 'balances_worker_funds' AND schemaname = current_schema()"));
        Assert.Equal(40, (await new SchemeLedger(store, _time).GetFundBalancesAsync(new AccountId("worker-1")))["training"].MinorUnits);
    }

    [Fact]
    public async Task TheFundRangeIsAnsweredByThePartialIndex()
    {
        string schema = await server.NewSchemaAsync();
        await using (await PostgresLedgerStore.OpenAsync(schema))
        {
        }

        // The store's own predicate, planned with sequential scans priced out (the test table is tiny): the plan must
        // name the index, which it can only use if the predicate's collation matches the index's.
        await using var connection = new NpgsqlConnection(schema);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand(
            "EXPLAIN (FORMAT JSON) SELECT kind, key, balance FROM balances WHERE balance <> 0 AND kind = 8 AND key COLLATE \"C\" >= 'worker-7/' AND key COLLATE \"C\" < 'worker-70'",
            connection);
        string plan = (string)(await explain.ExecuteScalarAsync())!;

        Assert.Contains("balances_worker_funds", plan, StringComparison.Ordinal);
    }
}
