using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Wallet.Benchmarks.Ledger;
using Wallet.Benchmarks.Postgres;
using Wallet.Protocol;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Postgres;
using Wallet.Storage.Postgres.Ledger;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// Ledger throughput on PostgreSQL (a throw-away server started like the tests start theirs, with fsync and
/// synchronous commit on): deposits of 100-coin batches through <see cref="SchemeLedger"/> against bare
/// 100-row INSERT transactions into a table with the same partitioning and primary key, measured in
/// alternating rounds; and single-coin withdrawals. Prints a <c>#</c> note and skips when no server starts.
/// </summary>
public sealed class PostgresQuickSuite : IQuickSuite
{
    private const int Batch = 100;
    private const int Prefill = 5_000;

    public string Name => "postgres";

    public void Run(QuickReporter report) => RunAsync(report).GetAwaiter().GetResult();

    private static async Task RunAsync(QuickReporter report)
    {
        var started = Stopwatch.StartNew();
        if (await QuickPostgres.StartOrSkipAsync(report, "postgres") is not { } server)
        {
            return;
        }

        await using (server)
        {
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"postgres {(server.IsExternal ? "external server" : "own server")} ready in {started.Elapsed.TotalSeconds:F1} s; fsync=on, synchronous_commit=on, READ COMMITTED + head-row lock, one transaction per operation"));
            await DepositAsync(report, server);
            await WithdrawAsync(report, server);
            await PayrollAsync(report, server);
        }
    }

    private static async Task DepositAsync(QuickReporter report, PostgresServer server)
    {
        string schema = await server.CreateSchemaAsync("bench");
        await using var store = await PostgresLedgerStore.OpenAsync(schema);
        var ledger = new SchemeLedger(store, TimeProvider.System);
        await LedgerBenchmarkData.FundAsync(ledger, 100_000_000);

        await using var bareSource = NpgsqlDataSource.Create(schema);
        await using (var connection = await bareSource.OpenConnectionAsync())
        {
            string keyset = Convert.ToHexStringLower(LedgerBenchmarkData.Keyset.Bytes);
            await using var create = new NpgsqlCommand(
                $"""
                CREATE TABLE bare_spent (coin_id bytea NOT NULL, keyset_id bytea NOT NULL, amount bigint NOT NULL, entry_seq bigint NOT NULL,
                    PRIMARY KEY (coin_id, keyset_id)) PARTITION BY LIST (keyset_id);
                CREATE TABLE bare_spent_1 PARTITION OF bare_spent FOR VALUES IN (decode('{keyset}', 'hex'));
                """,
                connection);
            await create.ExecuteNonQueryAsync();
        }

        long nextLedgerCoin = 0;
        long nextBareCoin = 0;
        void LedgerBatch()
        {
            var coins = LedgerBenchmarkData.Batch(nextLedgerCoin, Batch);
            var result = ledger.DepositAsync(new IdempotencyKey($"d{nextLedgerCoin}"), LedgerBenchmarkData.Provider, coins).GetAwaiter().GetResult();
            if (!result.Succeeded || result.Conflicts.Count != 0)
            {
                throw new InvalidOperationException($"deposit failed: {result}");
            }

            nextLedgerCoin += Batch;
        }

        void BareBatch()
        {
            var coins = LedgerBenchmarkData.Batch(nextBareCoin, Batch);
            using var connection = bareSource.OpenConnection();
            using var transaction = connection.BeginTransaction();
            using var insert = new NpgsqlCommand("INSERT INTO bare_spent (coin_id, keyset_id, amount, entry_seq) SELECT c, k, a, $4 FROM unnest($1::bytea[], $2::bytea[], $3::bigint[]) AS t(c, k, a)", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = coins.Select(c => c.Coin.Bytes.ToArray()).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = coins.Select(c => c.Keyset.Bytes.ToArray()).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = coins.Select(c => c.Value.MinorUnits).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = nextBareCoin });
            insert.ExecuteNonQuery();
            transaction.Commit();
            nextBareCoin += Batch;
        }

        // Both tables start with the same number of coins in their unique index.
        while (nextLedgerCoin < Prefill)
        {
            LedgerBatch();
            BareBatch();
        }

        var (ours, bare, ratio) = QuickReporter.MeasurePaired(LedgerBatch, BareBatch, rounds: 7, roundTime: TimeSpan.FromMilliseconds(200));
        report.Line("ledger-deposit-batch100", nextLedgerCoin, "postgres", ours * Batch);
        report.Line("postgres-bare-insert-batch100", nextBareCoin, "postgres", bare * Batch);
        report.Note(string.Create(CultureInfo.InvariantCulture,
            $"ratio ledger-deposit-batch100 / postgres-bare-insert-batch100 = {ratio:F2} (median of 7 alternating rounds; target >= 0.5); size = coins in the table's unique index at the end"));
    }

    // Payroll batches (PayrollRun) on the scheme's whole state in one PostgreSQL schema, against bare 1000-row inserts
    // (one unnest statement per transaction, the fastest plain way) into a table keyed by the line key.
    private static async Task PayrollAsync(QuickReporter report, PostgresServer server)
    {
        using var schemeKey = Ed25519SigningKey.Generate();
        using var accreditation = Ed25519SigningKey.Generate();
        await using var database = await PostgresSchemeDatabase.OpenAsync(await server.CreateSchemaAsync("payroll"));
        var ledger = new SchemeLedger(database.Ledger, TimeProvider.System);
        var scheme = new BenefitScheme(schemeKey, accreditation.PublicKey, ledger, database.Scheme, database.Log, TimeProvider.System) { Transactions = database };

        await using var bareSource = NpgsqlDataSource.Create(await server.CreateSchemaAsync("payroll_bare"));
        await using (var connection = await bareSource.OpenConnectionAsync())
        {
            await using var create = new NpgsqlCommand("CREATE TABLE bare_contributions (line_key text PRIMARY KEY, worker text NOT NULL, amount bigint NOT NULL)", connection);
            await create.ExecuteNonQueryAsync();
        }

        void BareBatch(long first)
        {
            using var connection = bareSource.OpenConnection();
            using var transaction = connection.BeginTransaction();
            using var insert = new NpgsqlCommand("INSERT INTO bare_contributions (line_key, worker, amount) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])", connection, transaction);
            var rows = Enumerable.Range(0, PayrollRun.Lines).Select(i => first + i).ToArray();
            insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(i => $"pay:employer-1:line-{i}").ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(i => $"payroll-worker-{i % PayrollRun.Workers}").ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(i => 100 + (i - first)).ToArray() });
            insert.ExecuteNonQuery();
            transaction.Commit();
        }

        PayrollRun.Measure(report, "postgres", scheme, ledger, BareBatch, $"payroll-batch{PayrollRun.Lines}-postgres");
    }

    private static async Task WithdrawAsync(QuickReporter report, PostgresServer server)
    {
        await using var store = await PostgresLedgerStore.OpenAsync(await server.CreateSchemaAsync("bench"));
        var ledger = new SchemeLedger(store, TimeProvider.System);
        await ledger.ContributeAsync(new IdempotencyKey("fund"), ContributionSource.State, LedgerBenchmarkData.Worker, Amount.FromMinorUnits(long.MaxValue / 4));
        long n = 0;
        var coin = new[] { new KeysetAmount(LedgerBenchmarkData.Keyset, Amount.FromMinorUnits(5)) };
        double rate = QuickReporter.Measure(
            () => ledger.WithdrawAsync(new IdempotencyKey($"w{n++}"), LedgerBenchmarkData.Worker, coin).GetAwaiter().GetResult(),
            rounds: 5,
            roundTime: TimeSpan.FromMilliseconds(250));
        report.Line("ledger-withdraw", (await ledger.GetHeadAsync()).Sequence, "postgres", rate);
    }
}
