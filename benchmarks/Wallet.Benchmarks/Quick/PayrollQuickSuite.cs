using System.Globalization;
using Microsoft.Data.Sqlite;
using Wallet.Benchmarks.Operators;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Sqlite;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// Payroll at volume (docs/PROTOCOL.md 5.21): batches of 1000 contribution lines through the operator API on loopback
/// into a scheme whose ledger is a SQLite file (WAL, synchronous=FULL), against bare prepared INSERTs of the same
/// number of rows per transaction into a table with a unique key, in alternating rounds. The same batches in process
/// and straight into the ledger show where the time goes.
/// </summary>
public sealed class PayrollQuickSuite : IQuickSuite
{
    private const int Lines = 1000;
    private const int Workers = 500;

    public string Name => "payroll";

    public void Run(QuickReporter report)
    {
        var directory = Directory.CreateTempSubdirectory("walletcore-payroll-bench-");
        try
        {
            RunIn(report, directory.FullName);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static void RunIn(QuickReporter report, string directory)
    {
        using var schemeKey = Ed25519SigningKey.Generate();
        using var accreditation = Ed25519SigningKey.Generate();
        using var accountKey = Ed25519SigningKey.Generate();
        // The product's embedded default: ledger, scheme state (the statement's contribution records) and log in one
        // file, each batch's records and journal entries in one transaction.
        var database = SqliteSchemeDatabase.OpenAsync(Path.Combine(directory, SqliteSchemeDatabase.DefaultFileName)).GetAwaiter().GetResult();
        try
        {
            var ledger = new SchemeLedger(database.Ledger, TimeProvider.System);
            var scheme = new BenefitScheme(schemeKey, accreditation.PublicKey, ledger, database.Scheme, database.Log, TimeProvider.System) { Transactions = database };
            var workers = Enumerable.Range(0, Workers).Select(i => new AccountId($"payroll-worker-{i}")).ToArray();
            foreach (var worker in workers)
            {
                scheme.RegisterAccountAsync(worker, accountKey.PublicKey).GetAwaiter().GetResult();
            }

            using var bare = new BareRows(Path.Combine(directory, "bare.db"));
            var (app, http, client) = OperatorBenchmarks.StartLoopback(scheme);
            try
            {
                long next = 0;
                PayrollLine[] Batch()
                {
                    long first = next;
                    next += Lines;
                    return [.. Enumerable.Range(0, Lines).Select(i => new PayrollLine(new AccountId("employer-1"), new IdempotencyKey($"line-{first + i}"), ContributionSource.Employer, workers[(first + i) % Workers], Amount.FromMinorUnits(100 + i)))];
                }

                void Check(IReadOnlyList<PayrollLineResult> results)
                {
                    if (results.Count != Lines || results.Any(r => !r.Succeeded || r.IsReplay))
                    {
                        throw new InvalidOperationException("a payroll line was not applied");
                    }
                }

                long bareRows = 0;
                void BareBatch()
                {
                    bare.Insert(bareRows, Lines, Workers);
                    bareRows += Lines;
                }

                var (loopback, bareRate, ratio) = QuickReporter.MeasurePaired(
                    () => Check(client.ContributeBatchAsync(Batch()).GetAwaiter().GetResult()),
                    BareBatch,
                    rounds: 7,
                    roundTime: TimeSpan.FromMilliseconds(300),
                    warmUp: TimeSpan.FromMilliseconds(300));
                var (inProcess, _, inProcessRatio) = QuickReporter.MeasurePaired(
                    () => Check(scheme.ContributeBatchAsync(Batch()).GetAwaiter().GetResult()),
                    BareBatch,
                    rounds: 3,
                    roundTime: TimeSpan.FromMilliseconds(300),
                    warmUp: TimeSpan.FromMilliseconds(100));
                double ledgerOnly = QuickReporter.Measure(
                    () => ledger.ContributeBatchAsync([.. Batch().Select(l => new ContributionLine(l.LedgerKey, l.Source, l.Worker, l.Amount))]).GetAwaiter().GetResult(),
                    rounds: 3,
                    roundTime: TimeSpan.FromMilliseconds(300),
                    warmUp: TimeSpan.FromMilliseconds(100));

                long entries = ledger.GetHeadAsync().GetAwaiter().GetResult().Sequence;
                report.Line($"payroll-batch{Lines}", entries, "loopback-sqlite", loopback * Lines);
                report.Line($"payroll-batch{Lines}", entries, "in-process-sqlite", inProcess * Lines);
                report.Line($"ledger-contribute-batch{Lines}", entries, "sqlite", ledgerOnly * Lines);
                report.Line($"sqlite-bare-insert-batch{Lines}", bareRows, "sqlite", bareRate * Lines);
                report.Note(string.Create(CultureInfo.InvariantCulture,
                    $"ratio payroll-batch{Lines} loopback / sqlite-bare-insert-batch{Lines} = {ratio:F2} (lines per second, median of 7 alternating rounds; target >= 0.5); in process {inProcessRatio:F2}; size = journal entries / bare rows at the end"));
            }
            finally
            {
                http.Dispose();
                app.StopAsync().GetAwaiter().GetResult();
                ((IDisposable)app).Dispose();
            }
        }
        finally
        {
            database.Dispose();
        }
    }

    /// <summary>The floor: one prepared INSERT per line (key, worker, amount) under a unique key, one transaction per batch, WAL with synchronous=FULL.</summary>
    private sealed class BareRows : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _insert;
        private readonly SqliteParameter _key;
        private readonly SqliteParameter _worker;
        private readonly SqliteParameter _amount;

        public BareRows(string path)
        {
            _connection = new SqliteConnection($"Data Source={path};Pooling=False");
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL");
            Execute("PRAGMA synchronous=FULL");
            Execute("CREATE TABLE contributions (line_key TEXT NOT NULL PRIMARY KEY, worker TEXT NOT NULL, amount INTEGER NOT NULL)");
            _insert = _connection.CreateCommand();
            _insert.CommandText = "INSERT INTO contributions (line_key, worker, amount) VALUES ($key, $worker, $amount)";
            _key = _insert.Parameters.Add("$key", SqliteType.Text);
            _worker = _insert.Parameters.Add("$worker", SqliteType.Text);
            _amount = _insert.Parameters.Add("$amount", SqliteType.Integer);
            _insert.Prepare();
        }

        public void Insert(long first, int count, int workers)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            _insert.Transaction = transaction;
            for (long i = first; i < first + count; i++)
            {
                _key.Value = $"pay:employer-1:line-{i}";
                _worker.Value = $"payroll-worker-{i % workers}";
                _amount.Value = 100 + (i - first);
                _insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        public void Dispose()
        {
            _insert.Dispose();
            _connection.Dispose();
        }

        private void Execute(string sql)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}
