using Microsoft.Data.Sqlite;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Sqlite;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// Payroll at volume (docs/PROTOCOL.md 5.21) on the embedded default (<see cref="PayrollRun"/>): a scheme whose ledger,
/// scheme store and log are one SQLite file (WAL, synchronous=FULL), against bare prepared INSERTs of the same number
/// of rows per transaction into a table with a unique key. <see cref="PostgresQuickSuite"/> runs the same on PostgreSQL.
/// </summary>
public sealed class PayrollQuickSuite : IQuickSuite
{
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
        // The product's embedded default: ledger, scheme state (the statement's contribution records) and log in one
        // file, each batch's records and journal entries in one transaction.
        var database = SqliteSchemeDatabase.OpenAsync(Path.Combine(directory, SqliteSchemeDatabase.DefaultFileName)).GetAwaiter().GetResult();
        try
        {
            var ledger = new SchemeLedger(database.Ledger, TimeProvider.System);
            var scheme = new BenefitScheme(schemeKey, accreditation.PublicKey, ledger, database.Scheme, database.Log, TimeProvider.System) { Transactions = database };
            using var bare = new BareRows(Path.Combine(directory, "bare.db"));
            PayrollRun.Measure(report, "sqlite", scheme, ledger, first => bare.Insert(first, PayrollRun.Lines, PayrollRun.Workers), $"payroll-batch{PayrollRun.Lines}");
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
