using Npgsql;
using Wallet.Benchmarks.Postgres;
using static Wallet.Protocol.AspNetCore.Tests.Samples.SampleProcesses;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>
/// Issue 19's "done when": the pilot as shipped, <c>PortableBenefits.Demo --postgres "&lt;conn&gt;"</c>, against a real
/// PostgreSQL server the test starts, ends AUDIT OK with the ledger, the scheme state and the log all in the database,
/// and leaves no SQLite file anywhere it could write one.
/// </summary>
public sealed class PilotOnPostgresProcessTests
{
    [Fact]
    public async Task PilotOnPostgresEndsAuditOkAndWritesNoSqliteFile()
    {
        await using var postgres = await PostgresServer.StartAsync(durable: false);
        string connection = await postgres.CreateSchemaAsync("pilot");
        // The pilot's temporary directory and working directory: a SQLite file would land in one of them.
        string scratch = Directory.CreateTempSubdirectory("walletcore-pilot-pg-").FullName;
        try
        {
            var environment = new Dictionary<string, string> { ["TMPDIR"] = scratch };
            using var demo = Start(Sample("PortableBenefits.Demo"), environment, "--workers", "200", "--epochs", "3", "--postgres", connection);
            var demoOutput = Collect(demo);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await demo.WaitForExitAsync(timeout.Token);
            string output = demoOutput.ToString();
            Assert.True(demo.ExitCode == 0, output);
            Assert.Contains("AUDIT OK", output, StringComparison.Ordinal);
            Assert.Contains("all in PostgreSQL", output, StringComparison.Ordinal);

            string[] files = [.. Directory.EnumerateFiles(scratch, "*", SearchOption.AllDirectories)];
            Assert.True(files.Length == 0, "files the pilot left: " + string.Join(", ", files));

            // Every store's tables are in the pilot's schema, and they hold the run.
            await using var database = new NpgsqlConnection(connection);
            await database.OpenAsync();
            Assert.True(await CountAsync(database, "SELECT count(*) FROM journal") > 0);
            Assert.True(await CountAsync(database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'scheme\\_%'") > 0);
            Assert.True(await CountAsync(database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'merkle\\_%'") > 0);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
